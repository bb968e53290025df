"""The procedural street-scene renderer of the synthetic city.

A seeded renderer of Cityscapes-like scenes through a pinhole camera: sky, a
hazy skyline, building facades with windows, hedges, grass, a perspective
road with markings, paved sidewalks, trees, poles with signs and traffic
lights, cars and people, each instance coloured and sized at random, with
noise textures and shading, so that classes differ in colour and texture,
not in position alone. Labels are Cityscapes *labelIds*. The dataset on disk
is :mod:`.synthetic_city`.
"""
from typing import Callable, Dict, Optional, Tuple

import cv2
import numpy as np
from numpy.random import Generator

from .synthetic_city_styles import STYLES

#: Cityscapes labelIds drawn by the renderer (1: ego vehicle, ignored).
CLASS_IDS = dict(
    ego_vehicle=1,
    road=7,
    sidewalk=8,
    building=11,
    pole=17,
    traffic_light=19,
    traffic_sign=20,
    vegetation=21,
    terrain=22,
    sky=23,
    person=24,
    car=26)
_C = CLASS_IDS


def _noise(rng: Generator, h: int, w: int, cell: int) -> np.ndarray:
    """Smooth value noise in [0, 1] with ``cell``-pixel features."""
    gh, gw = h // cell + 2, w // cell + 2
    grid = rng.random((gh, gw), np.float32)
    return cv2.resize(grid, (gw * cell, gh * cell))[:h, :w]


class _Scene:
    """Canvas (RGB float, labelIds) and a pinhole camera over a ground.

    A point ``x`` metres right of the camera, ``up`` metres above the ground
    at depth ``z`` maps to column ``vx + x*k*t`` and row
    ``hy + (hc - up)*k*t`` with ``t = f/(k*z)``; ``t = 1`` is the bottom row.
    """

    def __init__(self,
                 rng: Generator,
                 h: int,
                 w: int,
                 style: str = 'city') -> None:
        self.rng, self.h, self.w = rng, h, w
        self.style = STYLES[style]
        self.img = np.zeros((h, w, 3), np.float32)
        self.lbl = np.zeros((h, w), np.uint8)
        self.yy, self.xx = np.mgrid[0:h, 0:w].astype(np.float32) + .5
        self.hy = rng.uniform(*self.style['horizon']) * h  # horizon
        self.vx = rng.uniform(.3, .7) * w  # vanishing column
        self.hc = rng.uniform(1.3, 1.8)  # camera height (m)
        self.k = (h - self.hy) / self.hc  # px per metre at t = 1
        self.f = w * rng.uniform(.45, .7)  # focal length (px)
        self.fine = rng.random((h, w), np.float32)
        self.med = _noise(rng, h, w, max(2, w // 64))
        self.coarse = _noise(rng, h, w, max(4, w // 12))
        self.sun = rng.uniform(.65, 1.15, 2)  # light on left / right faces
        self._tex: Dict[float, np.ndarray] = {}

    def paint(self,
              mask: np.ndarray,
              colour,
              label: int,
              tex: Optional[np.ndarray] = None) -> None:
        """Set ``mask`` to ``colour`` (RGB or H×W×3) times ``tex`` (H×W)."""
        colour = np.asarray(colour, np.float32)
        colour = colour[mask] if colour.ndim == 3 else colour
        self.img[mask] = colour if tex is None else colour * tex[mask, None]
        self.lbl[mask] = label

    def jitter(self, palette: str, amount: float = .08) -> np.ndarray:
        """A random colour of the style's ``palette``, jittered."""
        colours = self.style['palettes'][palette]
        base = np.array(colours[self.rng.integers(len(colours))])
        return np.clip(base + self.rng.uniform(-amount, amount, 3), 0, 1)

    def tex(self, amount: float = .25) -> np.ndarray:
        """Multiplicative H×W noise texture of strength ``amount``."""
        if amount not in self._tex:
            a = amount * self.style['texture']
            self._tex[amount] = (1 + a * (self.med - .5) + a * .5 *
                                 (self.fine - .5))
        return self._tex[amount]

    def shaded(self, colour, amount: float = .25) -> np.ndarray:
        return np.asarray(colour, np.float32) * self.tex(amount)[..., None]

    def mask(self, draw: Callable[[np.ndarray], None]) -> np.ndarray:
        canvas = np.zeros((self.h, self.w), np.uint8)
        draw(canvas)
        return canvas.astype(bool)

    def project(self, x: float, up: float, t: float) -> Tuple[float, float]:
        return self.vx + x * self.k * t, self.hy + (self.hc - up) * self.k * t

    # -- layers, back to front -------------------------------------------
    def sky(self) -> None:
        rng = self.rng
        top = rng.choice(self.style['sky'])
        haze = np.array(top) + rng.uniform(.2, .4) + rng.uniform(-.05, .1, 3)
        self.horizon_colour = np.clip(haze, 0, 1).astype(np.float32)
        g = np.clip(self.yy / max(self.hy, 1.), 0, 1)[..., None]
        colour = (1 - g) * np.array(top) + g * self.horizon_colour
        cloud = np.clip((self.coarse - rng.uniform(.4, .8)) * 4, 0, 1)
        colour = colour * (1 - cloud[..., None]) + .9 * cloud[..., None]
        self.paint(np.ones_like(self.lbl, bool), colour, _C['sky'])

    def skyline(self) -> None:
        rng, x0 = self.rng, 0.
        while x0 < self.w:
            x1 = x0 + rng.uniform(.02, .08) * self.w
            top = self.hy - rng.uniform(.03, .35) * self.hy
            m = (self.xx >= x0) & (self.xx < x1) & (self.yy >= top)
            m &= self.yy < self.hy + 1
            haze = rng.uniform(.3, .7)
            facade = self.jitter('facade')
            colour = (1 - haze) * facade + haze * self.horizon_colour
            self.paint(m, colour, _C['building'], self.tex(.15))
            x0 = x1

    def ground(self) -> None:
        rng = self.rng
        below = self.yy >= self.hy
        t = np.clip((self.yy - self.hy) / (self.h - self.hy), 1e-3, None)
        x = (self.xx - self.vx) / (self.k * t)  # metres right of camera
        z = self.f / (self.k * t)  # depth (m)
        road = rng.uniform(6, 12)
        left = -rng.uniform(.3, .7) * road
        self.road_x = (left, left + road)
        walks = rng.uniform(1.5, 5, 2)
        self.walk_x = (self.road_x[0] - walks[0], self.road_x[1] + walks[1])
        grass = np.array(self.style['grass']) + rng.uniform(-.08, .08, 3)
        self.paint(below, grass, _C['terrain'], self.tex(.6))
        on_walk = below & (x >= self.walk_x[0]) & (x <= self.walk_x[1])
        tile = rng.uniform(.3, .8)
        joints = ((z / tile) % 1 < .1) | ((x / tile) % 1 < .1)
        walk = self.shaded(rng.uniform(.45, .7) + rng.uniform(-.05, .05, 3))
        walk[joints] *= .75
        self.paint(on_walk, walk, _C['sidewalk'])
        for edge, side in zip(self.road_x, (-1, 1)):  # grass verges
            if rng.random() < .35:
                gap = side * (x - edge)
                verge = below & (gap >= 0) & (gap < rng.uniform(.6, 1.5))
                self.paint(verge, grass, _C['terrain'], self.tex(.6))
        on_road = below & (x >= self.road_x[0]) & (x <= self.road_x[1])
        asphalt = rng.uniform(*self.style['asphalt']) + rng.uniform(
            -.02, .02, 3)
        colour = self.shaded(asphalt, .3) * (.8 + .4 * self.coarse[..., None])
        lane = rng.uniform(*self.road_x) if road > 8 else sum(self.road_x) / 2
        marks = (np.abs(x - lane) < .08) & ((z / 6) % 1 < .5)
        marks |= np.minimum(
            np.abs(x - self.road_x[0] - .3),
            np.abs(x - self.road_x[1] + .3)) < .07
        if rng.random() < .3:  # zebra crossing
            z0 = rng.uniform(6, 20)
            marks |= (z > z0) & (z < z0 + 3) & ((x / .8) % 1 < .5)
        colour[marks] = rng.uniform(.7, .9)
        self.paint(on_road, colour, _C['road'])

    def facades(self, side: int) -> None:
        """Buildings, hedges or gaps standing at the sidewalk's outer edge."""
        rng, x_edge = self.rng, self.walk_x[int(side > 0)]
        t = (self.xx[0] - self.vx) / (x_edge * self.k)  # per column
        valid = t > 1e-3
        z = self.f / (self.k * np.where(valid, t, 1e-3))
        bounds, kinds, heights, colours = [0.], [], [], []
        while bounds[-1] < 400:
            kind = rng.choice(3, p=[.7, .2, .1])  # building, hedge, gap
            bounds.append(bounds[-1] + rng.uniform(6, 25) / (1 + kind))
            kinds.append(kind)
            heights.append(
                rng.uniform(6, 30) if kind == 0 else rng.uniform(1, 6))
            colours.append(self.jitter('facade' if kind == 0 else 'leaf'))
        seg = np.clip(np.searchsorted(bounds, z) - 1, 0, len(kinds) - 1)
        kind = np.array(kinds)[seg]
        up = self.hc - (self.yy - self.hy) / (self.k * t.clip(1e-3))
        wobble = 1 + .3 * (self.med[0] - .5) * (kind == 1)
        inside = valid & (up >= 0) & (up <= np.array(heights)[seg] * wobble)
        haze = ((1 - np.clip(t, 0, 1))**4 * .7)[..., None]
        light = self.sun[int(side > 0)]
        # building: facade texture, floors of windows, shop windows
        u = (z - np.array(bounds)[seg]) / rng.uniform(2, 3.5)
        v = up / rng.uniform(2.8, 3.5)
        win = ((u % 1 > .25) & (u % 1 < .75) & (v % 1 > .3) & (v % 1 < .8)
               & (up > 3) & (up < np.array(heights)[seg] - 1))
        lit = rng.random((64, 64)) < rng.uniform(0, .3)
        lit = lit[u.astype(int) % 64, v.astype(int) % 64] & win
        shop = (up > .3) & (up < 2.6) & ((u * .5) % 1 > .15)
        shop &= rng.random() < .6
        col = self.shaded(np.array(colours)[seg] * light, .3)
        glass = win | shop
        col[glass] = (.12, .15, .2) + .25 * self.med[glass, None] * \
            self.horizon_colour
        col[lit] = (.95, .8, .45)
        leaf = .45 + .9 * (.6 * self.fine + .4 * self.med)
        col[:, kind == 1] = (np.array(colours)[seg] * light)[kind == 1] * \
            leaf[:, kind == 1, None]
        col = (1 - haze) * col + haze * self.horizon_colour
        self.paint(inside & (kind == 0), col, _C['building'])
        self.paint(inside & (kind == 1), col, _C['vegetation'])

    # -- objects on the ground, drawn far to near ---------------------------
    def place(self, x_range: tuple, t_range: tuple = (.15, 1.)) -> tuple:
        """A random ground point (x metres, scale t) that is in view."""
        x = self.rng.uniform(*x_range)
        t_max = t_range[1]
        if abs(x) > 1e-6:  # keep the column inside the image
            room = (self.w - self.vx) if x > 0 else self.vx
            t_max = min(t_max, .95 * room / (abs(x) * self.k))
        return x, self.rng.uniform(min(t_range[0], t_max), t_max)

    def _quad(self, x, t, corners, colour, label, amount=.15) -> None:
        """Fill a polygon given as (x offset, up) metre corners."""
        pts = np.array([self.project(x + dx, up, t) for dx, up in corners])
        m = self.mask(
            lambda c: cv2.fillPoly(c, [np.round(pts).astype(np.int32)], 1))
        self.paint(m, colour, label, self.tex(amount))

    def _ellipse(self, x, t, up, rx, ry, colour, label, tex=None) -> None:
        cx, cy = self.project(x, up, t)
        s = self.k * t
        axes = (max(1, int(round(rx * s))), max(1, int(round(ry * s))))
        m = self.mask(lambda c: cv2.ellipse(c, (int(cx), int(cy)), axes, 0, 0,
                                            360, 1, -1))
        self.paint(m, colour, label, self.tex(.15) if tex is None else tex)

    def _box(self, x, t, x0, x1, up0, up1, colour, label, amount=.15):
        self._quad(x, t, [(x0, up0), (x1, up0), (x1, up1), (x0, up1)], colour,
                   label, amount)

    def car(self, x: float, t: float) -> None:
        rng, body = self.rng, self.jitter('car', .05)
        cx, cy = self.project(x, 0, t)
        s = self.k * t
        axes = (int(1.1 * s), max(1, int(.12 * s)))
        shadow = self.mask(lambda c: cv2.ellipse(c, (int(cx), int(cy)), axes,
                                                 0, 0, 360, 1, -1))
        self.img[shadow & (self.lbl == _C['road'])] *= .55
        w = rng.uniform(.8, 1)  # half width (m)
        roof = rng.uniform(1.35, 1.6)
        self._box(x, t, -w + .05, w - .05, 0, .35, (.05, .05, .05), _C['car'])
        self._box(x, t, -w, w, .25, 1., body * 1.05, _C['car'])
        self._quad(x, t, [(-.9 * w, 1.), (.9 * w, 1.), (.7 * w, roof),
                          (-.7 * w, roof)], body * .9, _C['car'])
        self._quad(x, t, [(-.8 * w, 1.03),
                          (.8 * w, 1.03), (.65 * w, roof - .07),
                          (-.65 * w, roof - .07)], (.1, .12, .16), _C['car'])
        for side in (-1, 1):
            self._box(x, t, side * w * .95, side * w * .7, .75, .9,
                      (.8, .05, .05), _C['car'], .05)
        self._box(x, t, -.22, .22, .42, .55, (.9, .9, .85), _C['car'], .05)

    def person(self, x: float, t: float) -> None:
        rng, size = self.rng, self.rng.uniform(.85, 1.1)
        skin, top, legs = (self.jitter('skin', .03), self.jitter('cloth'),
                           self.jitter('cloth'))
        step = rng.uniform(-.12, .12) * size
        for dx in (-.1 * size + step, .1 * size - step):
            self._box(x, t, dx - .08 * size, dx + .08 * size, 0, .85 * size,
                      legs, _C['person'])
        for dx in (-.27, .21):
            self._box(x, t, dx * size, (dx + .07) * size, .85 * size,
                      1.42 * size, skin if rng.random() < .4 else top,
                      _C['person'])
        self._quad(x, t, [(-.19 * size, .8 * size), (.19 * size, .8 * size),
                          (.23 * size, 1.45 * size),
                          (-.23 * size, 1.45 * size)], top, _C['person'])
        self._ellipse(x, t, 1.58 * size, .1 * size, .13 * size, skin,
                      _C['person'])
        self._ellipse(x, t, 1.66 * size, .1 * size, .06 * size,
                      rng.uniform(0, .3) * np.ones(3), _C['person'])

    def pole(self, x: float, t: float, sign: bool) -> None:
        rng, height = self.rng, self.rng.uniform(3.5, 5.5)
        half = max(.06, .6 / (self.k * t))  # at least ~1 px wide
        self._box(x, t, -half, half, 0, height,
                  rng.uniform(.35, .6) * np.ones(3), _C['pole'])
        if not sign:  # traffic light: dark box with one lit lamp
            self._box(x, t, -.18, .18, height - 1., height, (.08, .08, .08),
                      _C['traffic_light'], .05)
            lit = rng.integers(3)
            for i, lamp in enumerate([(.9, .1, .1), (.95, .7, .1),
                                      (.1, .9, .3)]):
                colour = np.array(lamp) * (1. if i == lit else .25)
                self._ellipse(x, t, height - .2 - .3 * i, .1, .1, colour,
                              _C['traffic_light'])
            return
        kind, up = rng.integers(3), height - .35
        if kind == 0:  # round: red ring, white disc
            self._ellipse(x, t, up, .35, .35, (.8, .05, .05),
                          _C['traffic_sign'])
            self._ellipse(x, t, up, .25, .25, (.92, .92, .92),
                          _C['traffic_sign'])
        elif kind == 1:  # triangle
            self._quad(x, t, [(-.4, up - .3), (.4, up - .3), (0, up + .35)],
                       (.85, .1, .1), _C['traffic_sign'])
            self._quad(x, t, [(-.25, up - .2), (.25, up - .2), (0, up + .2)],
                       (.95, .95, .9), _C['traffic_sign'])
        else:  # blue or yellow panel
            colour = (.1, .25, .7) if rng.random() < .5 else (.95, .8, .1)
            self._box(x, t, -.35, .35, up - .3, up + .3, colour,
                      _C['traffic_sign'])

    def tree(self, x: float, t: float) -> None:
        rng, leaf = self.rng, self.jitter('leaf', .05)
        self._box(x, t, -.13, .13, 0, rng.uniform(2.5, 3.5), (.3, .2, .12),
                  _C['vegetation'])
        tex = .4 + 1.1 * (.55 * self.fine + .45 * self.med)
        for _ in range(rng.integers(2, 5)):
            self._ellipse(x + rng.uniform(-.8, .8), t, rng.uniform(3.5, 5.5),
                          rng.uniform(1, 2), rng.uniform(.9, 1.6), leaf,
                          _C['vegetation'], tex)

    def ego_hood(self) -> None:
        top = self.h * self.rng.uniform(.85, .93)
        dx = (self.xx - self.w / 2) / (.8 * self.w)
        dy = (self.yy - 1.3 * self.h) / (1.3 * self.h - top)
        shade = (1.3 - .6 * self.yy / self.h)[..., None]
        self.paint(dx**2 + dy**2 < 1,
                   self.jitter('car') * shade, _C['ego_vehicle'])


def render_street_scene(rng: Generator,
                        img_size=(128, 256),
                        style: str = 'city') -> tuple:
    """Render one scene: (uint8 BGR H×W×3 image, uint8 H×W labelIds).

    ``style`` is a key of :data:`~mmllie.datasets.synthetic_city_styles.
    STYLES` (``'city'``: the original generator).
    """
    if style not in STYLES:
        raise ValueError(f'unknown synthetic city style {style!r}; expected '
                         f'one of {sorted(STYLES)}.')
    s = _Scene(rng, *img_size, style=style)
    s.sky()
    s.skyline()
    s.ground()
    s.facades(-1)
    s.facades(1)
    walks = [(s.walk_x[0] + .4, s.road_x[0] - .3),
             (s.road_x[1] + .3, s.walk_x[1] - .4)]
    objects = []  # (t, draw); small t is far away
    for _ in range(rng.integers(1, 4)):
        x, t = s.place(walks[rng.integers(2)])
        objects.append((t, lambda x=x, t=t: s.tree(x, t)))
    for i in range(rng.integers(1, 4)):
        sign = i == 0 or rng.random() < .6
        x, t = s.place(walks[rng.integers(2)])
        objects.append((t, lambda x=x, t=t, g=sign: s.pole(x, t, g)))
    for _ in range(rng.integers(1, 6)):
        x, t = s.place((s.road_x[0] + 1, s.road_x[1] - 1), (.15, .9))
        objects.append((t, lambda x=x, t=t: s.car(x, t)))
    for _ in range(rng.integers(1, 6)):
        where = s.road_x if rng.random() < .25 else walks[rng.integers(2)]
        x, t = s.place(where)
        objects.append((t, lambda x=x, t=t: s.person(x, t)))
    for _, draw in sorted(objects, key=lambda o: o[0]):
        draw()
    if rng.random() < .25:
        s.ego_hood()
    r = ((s.xx - s.w / 2) / s.w)**2 + ((s.yy - s.h / 2) / s.h)**2
    img = s.img * (rng.uniform(.85, 1.1) * (1 - .5 * r))[..., None]
    img = img * (1 + rng.uniform(-.04, .04, 3)) + rng.normal(0, .01, img.shape)
    bgr = np.round(np.clip(img, 0, 1)[..., ::-1] * 255).astype(np.uint8)
    return bgr, s.lbl
