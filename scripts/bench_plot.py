"""SVG plots for scripts/bench.py, written by hand (Python standard library only)."""

import math
import statistics


def med(v):
    return statistics.median(v) if v else None


def svg_plot(points, path):
    """Hand-written SVG: list time against the number of namespaces, ip and rnetns."""
    W, H, L, R, T, B = 640, 400, 70, 130, 40, 50
    pw, ph = W - L - R, H - T - B
    xmax = max(p[0] for p in points) or 1
    ymax_ms = max(max(p[1], p[2]) for p in points) * 1e3
    step = nice_step(ymax_ms / 5)
    ytop = step * (int(ymax_ms / step) + 1)
    xs = lambda n: L + pw * n / xmax
    ys = lambda ms: T + ph * (1 - ms / ytop)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
           f'viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{W / 2 - R / 2 + L / 2}" y="22" text-anchor="middle" font-size="15">'
           f'list: time per call against named namespaces (median)</text>']
    k = 0
    while k * step <= ytop + 1e-9:
        y = ys(k * step)
        out.append(f'<line x1="{L}" y1="{y:.1f}" x2="{L + pw}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{L - 6}" y="{y + 4:.1f}" text-anchor="end">{k * step:g}</text>')
        k += 1
    for n, _, _ in points:
        x = xs(n)
        out.append(f'<line x1="{x:.1f}" y1="{T + ph}" x2="{x:.1f}" y2="{T + ph + 5}" stroke="black"/>')
        out.append(f'<text x="{x:.1f}" y="{T + ph + 18}" text-anchor="middle">{n}</text>')
    out.append(f'<line x1="{L}" y1="{T + ph}" x2="{L + pw}" y2="{T + ph}" stroke="black"/>')
    out.append(f'<line x1="{L}" y1="{T}" x2="{L}" y2="{T + ph}" stroke="black"/>')
    out.append(f'<text x="{L + pw / 2}" y="{H - 10}" text-anchor="middle">named namespaces (no ids)</text>')
    out.append(f'<text x="18" y="{T + ph / 2}" text-anchor="middle" '
               f'transform="rotate(-90 18 {T + ph / 2})">ms per call</text>')
    for idx, (label, color) in enumerate((("ip netns list", "#d62728"),
                                          ("rnetns list", "#1f77b4"))):
        pts = " ".join(f"{xs(p[0]):.1f},{ys(p[1 + idx] * 1e3):.1f}" for p in points)
        out.append(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="2"/>')
        for p in points:
            x, y = xs(p[0]), ys(p[1 + idx] * 1e3)
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"/>')
            out.append(f'<text x="{x + 4:.1f}" y="{y - 6 if idx == 0 else y + 14:.1f}" '
                       f'fill="{color}" font-size="10">{p[1 + idx] * 1e3:.1f}</text>')
        ly = T + 20 + 20 * idx
        out.append(f'<line x1="{L + pw + 12}" y1="{ly}" x2="{L + pw + 32}" y2="{ly}" '
                   f'stroke="{color}" stroke-width="2"/>')
        out.append(f'<text x="{L + pw + 36}" y="{ly + 4}">{label}</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def svg_scale(scale, ops, verdicts, path, what):
    """Hand-written SVG, one panel per scaled op, x = named namespaces (log scale), ip (or
    lsns) and rnetns. what="time": median ms per call, log scale, with a dashed line of
    linear growth through rnetns's point at the reference size (a curve that stays parallel
    to it is linear); what="rss": median peak RSS in MiB, linear scale from 0."""
    ops = [o for o in ops if len(scale.get(o[0], [])) >= 2]
    if not ops:
        return False
    PW, PH, ML, MR, MT, MB, cols = 300, 230, 58, 14, 30, 40, 3
    nrows = (len(ops) + cols) // cols
    W, H = cols * PW, 46 + nrows * PH
    colors = (("ip", "#d62728"), ("rn", "#1f77b4"))
    title = ("time per call against named namespaces (median; N/2 processes held for discover)"
             if what == "time" else "peak RSS against named namespaces (median, wait4 ru_maxrss)")
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
           f'viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="11">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{W / 2}" y="24" text-anchor="middle" font-size="15">{title}</text>']
    for idx, (name, label) in enumerate(ops):
        ox, oy = (idx % cols) * PW + ML, 46 + (idx // cols) * PH + MT
        pw, ph = PW - ML - MR, PH - MT - MB
        rows = scale[name]
        sizes = [r["size"] for r in rows]
        val = lambda r, t: (med(r[t]) * 1e3 if what == "time" else
                            (med(r[t + "_kb"]) / 1024 if r[t + "_kb"] else None))
        pts = {t: [(r["size"], val(r, t)) for r in rows if val(r, t)] for t, _ in colors}
        ys_all = [y for v in pts.values() for _, y in v]
        if not ys_all:
            continue
        lx0, lx1 = math.log10(min(sizes)) - 0.15, math.log10(max(sizes)) + 0.15
        X = lambda n: ox + pw * (math.log10(n) - lx0) / (lx1 - lx0)
        if what == "time":
            ly0 = math.floor(math.log10(min(ys_all)) - 0.1)
            ly1 = math.ceil(math.log10(max(ys_all)) + 0.1)
            Y = lambda v: oy + ph * (1 - (math.log10(v) - ly0) / (ly1 - ly0))
            ticks = [m * 10 ** e for e in range(ly0, ly1) for m in (1, 2, 5)] + [10 ** ly1]
            ticks = [t for t in ticks if ly0 <= math.log10(t) <= ly1]
        else:
            step = nice_step(max(ys_all) * 1.1 / 4)
            top = step * math.ceil(max(ys_all) * 1.1 / step)
            Y = lambda v: oy + ph * (1 - v / top)
            ticks = [k * step for k in range(int(round(top / step)) + 1)]
        for t in ticks:
            y = Y(t)
            out.append(f'<line x1="{ox}" y1="{y:.1f}" x2="{ox + pw}" y2="{y:.1f}" stroke="#e4e4e4"/>')
            out.append(f'<text x="{ox - 4}" y="{y + 4:.1f}" text-anchor="end">{t:g}</text>')
        for n in sizes:
            out.append(f'<line x1="{X(n):.1f}" y1="{oy + ph}" x2="{X(n):.1f}" y2="{oy + ph + 4}" stroke="black"/>')
            out.append(f'<text x="{X(n):.1f}" y="{oy + ph + 16}" text-anchor="middle">{n}</text>')
        out.append(f'<rect x="{ox}" y="{oy}" width="{pw}" height="{ph}" fill="none" stroke="black"/>')
        v = verdicts.get(name, {})
        note = ("linear" if v.get("time_linear") else "NOT linear") if v else ""
        if what == "rss" and v.get("rss_le_ip") is not None:
            note = "rnetns ≤ ip" if v["rss_le_ip"] else "rnetns > ip somewhere"
        out.append(f'<text x="{ox + pw / 2}" y="{oy - 8}" text-anchor="middle" font-size="13">'
                   f'{label.replace("`", "")}: {note}</text>')
        unit = "ms" if what == "time" else "MiB"
        out.append(f'<text x="{ox - 44}" y="{oy + ph / 2}" text-anchor="middle" '
                   f'transform="rotate(-90 {ox - 44} {oy + ph / 2})">{unit}</text>')
        if what == "time" and v and pts["rn"]:
            ref = dict(pts["rn"]).get(v["ref"])
            if ref:
                a, b = min(sizes), max(sizes)
                out.append(f'<clipPath id="c{idx}"><rect x="{ox}" y="{oy}" width="{pw}" '
                           f'height="{ph}"/></clipPath>')
                out.append(f'<line x1="{X(a):.1f}" y1="{Y(ref * a / v["ref"]):.1f}" '
                           f'x2="{X(b):.1f}" y2="{Y(ref * b / v["ref"]):.1f}" '
                           f'stroke="#888" stroke-dasharray="4 3" clip-path="url(#c{idx})"/>')
        for t, color in colors:
            if not pts[t]:
                continue
            line = " ".join(f"{X(n):.1f},{Y(y):.1f}" for n, y in pts[t])
            out.append(f'<polyline points="{line}" fill="none" stroke="{color}" stroke-width="2"/>')
            for n, y in pts[t]:
                out.append(f'<circle cx="{X(n):.1f}" cy="{Y(y):.1f}" r="3" fill="{color}"/>')
    # legend in the next free cell
    idx = len(ops)
    lx, ly = (idx % cols) * PW + 20, 46 + (idx // cols) * PH + MT + 10
    legend = [("ip netns (discover: lsns -t net)", "#d62728", ""), ("rnetns", "#1f77b4", "")]
    if what == "time":
        legend.append(("linear growth through rnetns at N/10", "#888", "4 3"))
    for k, (text, color, dash) in enumerate(legend):
        y = ly + 22 * k
        out.append(f'<line x1="{lx}" y1="{y}" x2="{lx + 24}" y2="{y}" stroke="{color}" '
                   f'stroke-width="2"' + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
        out.append(f'<text x="{lx + 30}" y="{y + 4}">{text}</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    return True


def nice_step(x):
    if x <= 0:
        return 1
    m = 10 ** int(f"{x:e}".split("e")[1])
    for s in (1, 2, 2.5, 5, 10):
        if s * m >= x:
            return s * m
    return 10 * m
