"""Generator styles of the synthetic city (a domain-shift test).

A style is a set of palettes, sky colours, ground colours, a horizon range
and a texture strength for :func:`~mmllie.datasets.render_street_scene`.
``'city'`` is the original generator (its output is unchanged); ``'town'``
is another place: pastel cars, brick and painted facades, autumn trees,
dry grass, light asphalt, overcast or evening skies, a higher horizon and
rougher textures. Training on one style and testing on the other measures
how an enhancer trained on a few scenes transfers to an unseen place.
"""
from typing import Dict

#: name -> style parameters (RGB in [0, 1]).
STYLES: Dict[str, dict] = dict(
    city=dict(
        palettes=dict(
            car=[(.7, .05, .05), (.1, .2, .6), (.9, .9, .88), (.08, .08, .1),
                 (.6, .62, .65), (.1, .35, .15), (.9, .75, .1),
                 (.85, .4, .05)],
            facade=[(.62, .3, .22), (.8, .72, .58), (.55, .55, .57),
                    (.3, .38, .5), (.85, .82, .75), (.45, .35, .3),
                    (.7, .6, .4)],
            cloth=[(.1, .1, .12), (.2, .25, .5), (.6, .1, .1), (.85, .85, .85),
                   (.15, .4, .2), (.5, .4, .3), (.8, .6, .1), (.4, .1, .4)],
            skin=[(.95, .78, .65), (.8, .6, .45), (.55, .38, .25),
                  (.35, .22, .15)],
            leaf=[(.12, .35, .08), (.25, .45, .1), (.35, .42, .12),
                  (.08, .25, .1)]),
        sky=[(.25, .45, .8), (.5, .55, .62), (.35, .4, .65)],
        grass=(.3, .5, .15),
        asphalt=(.18, .38),
        horizon=(.35, .55),
        texture=1.0),
    town=dict(
        palettes=dict(
            car=[(.95, .6, .7), (.5, .8, .9), (.2, .6, .55), (.75, .7, .95),
                 (.95, .95, .6), (.4, .25, .15)],
            facade=[(.55, .18, .12), (.35, .15, .1), (.9, .85, .5),
                    (.5, .7, .75), (.95, .6, .45), (.25, .25, .3)],
            cloth=[(.9, .45, .1), (.1, .5, .6), (.7, .7, .2), (.3, .1, .2),
                   (.95, .95, .9), (.2, .2, .25)],
            skin=[(.9, .72, .6), (.6, .42, .3), (.4, .26, .18)],
            leaf=[(.6, .35, .05), (.75, .55, .1), (.45, .2, .05),
                  (.3, .35, .1)]),
        sky=[(.7, .5, .4), (.62, .64, .66), (.45, .35, .55)],
        grass=(.5, .45, .2),
        asphalt=(.35, .5),
        horizon=(.25, .4),
        texture=1.6))
