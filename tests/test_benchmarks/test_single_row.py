"""The shared single-row report of the classification / detection rows."""
from mmllie.benchmarks.single_row import results_table


def test_results_table_known_numbers():
    results = dict(
        day=99.191,
        levels=dict(
            hard=dict(night=49.954, **{'gem+pam': 88.186}),
            normal=dict(night=73.97, **{'gem+pam': 93.844})))
    assert results_table(
        results, 'top-1',
        'day crops') == ('| setting | top-1 hard | top-1 normal |\n'
                         '|---|---:|---:|\n'
                         '| day crops (no darkening) | 99.19 | 99.19 |\n'
                         '| no enhancer | 49.95 | 73.97 |\n'
                         '| GEM + PAM | 88.19 | 93.84 |\n')
