#!/usr/bin/python3
"""Draws a bench/run sweep: wall time and controller CPU per host against N, one line per tool, log scales.

Usage: plot.py CSV OUT.png

One column per step (second apply, dry run, first apply, verify), two rows (median wall seconds per host,
median controller CPU milliseconds per host); every point is the median over the run's rounds at that size.
The floors are dashed: `ssh true` (both key exchanges) in the apply columns, the verify floor in verify.
Runs with Debian's python3-matplotlib (bench/prereqs), hence /usr/bin/python3 and not whatever python3
comes first in PATH. The title carries the run's date, rounds and load, from CSV.meta and the CSV.
"""
import csv
import os
import statistics
import sys
from collections import defaultdict

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator  # noqa: E402

STEPS = [('second', 'second apply (nothing to change)'), ('dryrun', 'dry run with diff'),
         ('first', 'first apply (all change)'), ('verify', 'verify (fleet in sync)')]
# tool -> (label, colour, line style, marker); floors drawn in the columns they bound
TOOLS = {
    'ntpdeploy': ('ntpdeploy', 'tab:blue', '-', 'o'),
    'ansible-f50': ('Ansible forks=50', 'tab:red', '-', 's'),
    'ansible-f5': ('Ansible forks=5', 'tab:orange', '-', 'v'),
    'openssh': ('floor: ssh true (default kex)', 'dimgray', '--', 'x'),
    'openssh-c25519': ('floor: ssh true (curve25519)', 'black', '--', '+'),
    'openssh-ntpq': ('floor: ssh ntpq (verify floor)', 'tab:green', '--', 'd'),
}
FLOORS_FOR = {'verify': ['openssh-ntpq']}
APPLY_FLOORS = ['openssh', 'openssh-c25519']


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: plot.py CSV OUT.png')
    path, out = sys.argv[1:]
    rows = list(csv.DictReader(open(path)))
    meta = {}
    if os.path.exists(path + '.meta'):
        for line in open(path + '.meta'):
            k, sep, v = line.rstrip('\n').partition('=')
            if sep:
                meta[k] = v
    runs = defaultdict(list)   # (step, tool, n) -> rows
    for r in rows:
        runs[(r['step'], r['tool'], int(r['n']))].append(r)
    sizes = sorted({int(r['n']) for r in rows})
    if len(sizes) < 2:
        sys.exit('plot.py: %s has one size only (%s): a sweep needs two or more' % (path, sizes))

    def series(step, tool, field):
        xs, ys = [], []
        for n in sizes:
            got = runs.get(('floor' if tool in TOOLS and tool.startswith('openssh') else step, tool, n))
            if got:
                xs.append(n)
                ys.append(statistics.median(float(r[field]) for r in got) / n * (1000 if field == 'cpu_s' else 1))
        return xs, ys

    fig, axes = plt.subplots(2, len(STEPS), figsize=(4.2 * len(STEPS), 8), sharex=True)
    handles = {}
    for col, (step, title) in enumerate(STEPS):
        for row, (field, ylabel) in enumerate([('wall_s', 'wall time per host, s'),
                                               ('cpu_s', 'controller CPU per host, ms')]):
            ax = axes[row][col]
            for tool in ['ntpdeploy', 'ansible-f50', 'ansible-f5'] + FLOORS_FOR.get(step, APPLY_FLOORS):
                xs, ys = series(step, tool, field)
                if not xs:
                    continue
                name, colour, style, marker = TOOLS[tool]
                (line,) = ax.plot(xs, ys, color=colour, linestyle=style, marker=marker, label=name)
                handles.setdefault(name, line)
            ax.set_xscale('log')
            ax.set_yscale('log')
            ax.set_xticks(sizes)
            ax.set_xticklabels([str(n) for n in sizes])
            ax.xaxis.set_minor_locator(NullLocator())
            # 1-2-5 ticks with plain numbers: a log axis with only powers of ten is hard to read off
            ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
            ax.yaxis.set_minor_locator(NullLocator())
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: '%g' % v))
            ax.grid(True, which='major', alpha=0.3)
            if row == 0:
                ax.set_title(title)
            else:
                ax.set_xlabel('hosts (N)')
            if col == 0:
                ax.set_ylabel(ylabel)
    loads = [float(r[k]) for r in rows for k in ('load1_start', 'load1_end') if r.get(k)]
    rounds = meta.get('rounds') or str(max(int(r['round']) for r in rows))
    fig.suptitle('ntpdeploy vs Ansible vs the SSH floor, one bench/run run: %s, %s round(s) per size, %s'
                 % (meta.get('started', '?')[:16].replace('T', ' '), rounds,
                    '1-min load %.1f-%.1f on %s cores' % (min(loads), max(loads), meta.get('cores', '?'))
                    if loads else 'load not recorded'))
    fig.legend(list(handles.values()), list(handles.keys()), loc='lower center', ncol=len(handles), frameon=False)
    fig.tight_layout(rect=(0, 0.05, 1, 0.96))
    fig.savefig(out, dpi=100)


if __name__ == '__main__':
    main()
