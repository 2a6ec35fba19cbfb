#!/usr/bin/python3
"""Writes the seed corpora in fuzz/corpus/<target>/ (run: /usr/bin/python3 fuzz/make_seeds.py).
Binary GeoPackage blobs are built here; the text seeds (requests, config, CSV, GeoJSON) are
written from the tables below.
The output files are committed; rerunning rewrites them identically."""
import base64
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def wkb_point(x, y, le=True):
    e = "<" if le else ">"
    return bytes([1 if le else 0]) + struct.pack(e + "Idd", 1, x, y)


def wkb_polygon(rings, le=True, code=3):
    e = "<" if le else ">"
    out = bytes([1 if le else 0]) + struct.pack(e + "II", code, len(rings))
    for ring in rings:
        out += struct.pack(e + "I", len(ring))
        for pt in ring:
            out += struct.pack(e + "d" * len(pt), *pt)
    return out


def wkb_multipolygon(polys, le=True):
    e = "<" if le else ">"
    out = bytes([1 if le else 0]) + struct.pack(e + "II", 6, len(polys))
    return out + b"".join(wkb_polygon(p, le) for p in polys)


def gpkg(wkb, le=True, env=None, srs=28992, empty=False):
    """GeoPackage header: magic, version 0, flags (byte order, envelope kind, empty)."""
    e = "<" if le else ">"
    kinds = {None: 0, 4: 1, 6: 2, 8: 4}
    flags = (1 if le else 0) | kinds[len(env) if env else None] << 1 | (0x10 if empty else 0)
    head = b"GP" + bytes([0, flags]) + struct.pack(e + "i", srs)
    if env:
        head += struct.pack(e + "d" * len(env), *env)
    return head + wkb


SQUARE = [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]
HOLE = [(2, 2), (2, 4), (4, 4), (4, 2), (2, 2)]
BOWTIE = [(0, 0), (10, 10), (10, 0), (0, 10), (0, 0)]
SQUARE_Z = [(x, y, 5.0) for x, y in SQUARE]


def gpkg_seeds():
    pt_le = gpkg(wkb_point(92000.5, 437000.25), True, (92000.5, 92000.5, 437000.25, 437000.25))
    poly_be = gpkg(wkb_polygon([SQUARE, HOLE], False), False, (0, 10, 0, 10))
    return {
        "point_le_env": pt_le,
        "point_be_noenv": gpkg(wkb_point(5.0, 52.0, False), False, srs=4326),
        "point_le_mixed_wkb_be": gpkg(wkb_point(1, 2, False), True, (1, 1, 2, 2)),
        "polygon_le_env": gpkg(wkb_polygon([SQUARE, HOLE]), True, (0, 10, 0, 10)),
        "polygon_be_env": poly_be,
        "polygon_bowtie_invalid": gpkg(wkb_polygon([BOWTIE]), True, (0, 10, 0, 10)),
        "polygon_z_env_xyz": gpkg(wkb_polygon([SQUARE_Z], code=1003), True,
                                  (0, 10, 0, 10, 5, 5)),
        "multipolygon_be": gpkg(wkb_multipolygon([[SQUARE], [[(20, 20), (30, 20), (30, 30),
                                                             (20, 20)]]], False), False,
                                (0, 30, 0, 30, 0, 0, 0, 0)),
        "empty_polygon": gpkg(wkb_polygon([]), True, empty=True),
        "truncated_header": pt_le[:6],
        "truncated_envelope": pt_le[:20],
        "truncated_wkb": poly_be[:-5],
        "trailing_bytes": pt_le + b"\0\0\0\0",
        "bad_magic": b"XY" + pt_le[2:],
        "bad_version": pt_le[:2] + b"\x01" + pt_le[3:],
        "bad_envelope_kind": pt_le[:3] + bytes([pt_le[3] | 0x0a]) + pt_le[4:],
        "huge_ring_count": gpkg(b"\x01" + struct.pack("<II", 3, 0x7fffffff), True),
    }


RPC = [
    ("status", '{"jsonrpc":"2.0","method":"status","id":1}'),
    ("recompute", '{"jsonrpc":"2.0","method":"recompute","id":"r"}'),
    ("reload", '{"jsonrpc":"2.0","method":"reload","id":2}'),
    ("coverage", '{"jsonrpc":"2.0","method":"coverage","params":{"point":[92000,437000],"k":3},"id":3}'),
    ("coverage_wgs84", '{"jsonrpc":"2.0","method":"coverage","params":{"point":{"lat":51.9,"lon":4.5}},"id":3}'),
    ("gaps", '{"jsonrpc":"2.0","method":"gaps","params":{"gemeente":"GM0599","worst":5,"geojson":true},"id":4}'),
    ("stats", '{"jsonrpc":"2.0","method":"stats","params":{"veiligheidsregio":"VR17"},"id":5}'),
    ("sites", '{"jsonrpc":"2.0","method":"sites","params":{"gemeente":"GM0599","level":"wijk"},"id":6}'),
    ("whatif", '{"jsonrpc":"2.0","method":"whatif","params":{"add":[[92000,437000],{"candidate":7}],"remove":[1]},"id":7}'),
    ("suggest", '{"jsonrpc":"2.0","method":"suggest","params":{"gemeente":"GM0599","k":2},"id":8}'),
    ("notification", '{"jsonrpc":"2.0","method":"status"}'),
    ("null_id", '{"jsonrpc":"2.0","method":"stats","id":null}'),
    ("unknown_method", '{"jsonrpc":"2.0","method":"nope","id":9}'),
    ("escaped_method", '{"jsonrpc":"2.0","method":"stat\\u0075s","id":10}'),
    ("bad_version", '{"jsonrpc":"1.0","method":"status","id":11}'),
    ("bad_id", '{"jsonrpc":"2.0","method":"status","id":[1]}'),
    ("float_id", '{"jsonrpc":"2.0","method":"status","id":1.5}'),
    ("params_array", '{"jsonrpc":"2.0","method":"coverage","params":[1,2],"id":12}'),
    ("method_number", '{"jsonrpc":"2.0","method":7,"id":13}'),
    ("duplicate_keys", '{"jsonrpc":"2.0","method":"status","method":"reload","id":14}'),
    ("batch", '[{"jsonrpc":"2.0","method":"status","id":1}]'),
    ("not_object", '"status"'),
    ("truncated", '{"jsonrpc":"2.0","method":"cover'),
    ("empty", ''),
    ("garbage", '\x00\xff{]'),
    ("deep", '[' * 200 + ']' * 200),
    # The params parsers (reached without a plan: params are read first): good params of
    # every method, and each kind of refusal, unknown members first.
    ("coverage_rd", '{"jsonrpc":"2.0","method":"coverage","params":{"point":{"x":136783.7,"y":455860.1},"k":32},"id":20}'),
    ("coverage_point_unknown", '{"jsonrpc":"2.0","method":"coverage","params":{"point":{"x":1,"y":2,"z":3}},"id":21}'),
    ("coverage_k_range", '{"jsonrpc":"2.0","method":"coverage","params":{"point":{"lat":52,"lon":5},"k":33},"id":22}'),
    ("gaps_region", '{"jsonrpc":"2.0","method":"gaps","params":{"region":"GM0344","worst":0,"geojson":false},"id":23}'),
    ("gaps_bbox_deg", '{"jsonrpc":"2.0","method":"gaps","params":{"bbox":{"south":52.05,"west":5.05,"north":52.12,"east":5.2}},"id":24}'),
    ("gaps_bbox_bad", '{"jsonrpc":"2.0","method":"gaps","params":{"bbox":[3,2,1],"region":7},"id":25}'),
    ("stats_region", '{"jsonrpc":"2.0","method":"stats","params":{"region":"VR09"},"id":26}'),
    ("stats_bbox", '{"jsonrpc":"2.0","method":"stats","params":{"bbox":[120000,450000,130000,460000]},"id":27}'),
    ("sites_bbox_level", '{"jsonrpc":"2.0","method":"sites","params":{"bbox":[120000,450000,130000,460000],"level":"regional"},"id":28}'),
    ("sites_level_number", '{"jsonrpc":"2.0","method":"sites","params":{"region":"VR17","level":1},"id":29}'),
    ("whatif_mixed", '{"jsonrpc":"2.0","method":"whatif","params":{"add":[{"candidate":7},{"lat":52.08,"lon":5.17},{"x":92000,"y":437000}],"remove":[3,1]},"id":30}'),
    ("whatif_duplicate", '{"jsonrpc":"2.0","method":"whatif","params":{"remove":[5,2,5,2]},"id":31}'),
    ("whatif_candidate_and_point", '{"jsonrpc":"2.0","method":"whatif","params":{"add":[{"candidate":1,"x":2}]},"id":32}'),
    ("whatif_fail_region", '{"jsonrpc":"2.0","method":"whatif","params":{"fail":{"region":"GM0599"},"replace":4},"id":33}'),
    ("whatif_fail_polygon", '{"jsonrpc":"2.0","method":"whatif","params":{"fail":{"polygon":{"type":"MultiPolygon","coordinates":[[[[5.11,52.085],[5.13,52.085],[5.13,52.095],[5.11,52.095],[5.11,52.085]],[[5.115,52.09],[5.12,52.09],[5.12,52.092],[5.115,52.09]]],[[[4.4,51.9],[4.5,51.9],[4.5,52.0],[4.4,51.9]]]]}},"replace":0},"id":34}'),
    ("whatif_fail_bad", '{"jsonrpc":"2.0","method":"whatif","params":{"fail":{"polygon":{"type":"Polygon","coordinates":[[[4.4,51.9],["x",51.9],[4.5,52.0]]]},"bbox":[1,2,3,4]}},"id":35}'),
    ("suggest_region", '{"jsonrpc":"2.0","method":"suggest","params":{"region":"GM0344","k":100},"id":33}'),
    ("suggest_count", '{"jsonrpc":"2.0","method":"suggest","params":{"region":"GM0363","count":3},"id":34}'),
    ("status_unknown", '{"jsonrpc":"2.0","method":"status","params":{"verbose":true},"id":35}'),
    ("reload_unknown", '{"jsonrpc":"2.0","method":"reload","params":{"force":1},"id":36}'),
    ("resilience_region", '{"jsonrpc":"2.0","method":"resilience","params":{"region":"VR17","limit":1000},"id":38}'),
    ("resilience_buurt", '{"jsonrpc":"2.0","method":"resilience","params":{"region":"BU03440101","limit":0},"id":39}'),
    ("resilience_bad", '{"jsonrpc":"2.0","method":"resilience","params":{"region":"vr1","limit":1001,"bbox":[1,2,3,4]},"id":40}'),
    ("resilience_limit_type", '{"jsonrpc":"2.0","method":"resilience","params":{"region":"GM0344","limit":"5"},"id":41}'),
    ("long_utf8_method", '{"jsonrpc":"2.0","method":"' + '\\u00e9' * 300 + '","id":37}'),
]

CONFIG = {
    "good_full": open(os.path.join(HERE, "..", "config", "hubplanner.conf")).read(),
    "good_small": "[store]\ndatabase = /tmp/x.db\n[daemon]\nmax_clients = 8 ; comment\n"
                  "log_level = debug\n[plan]\nlocal_mode = budget\ndetour_factor = 1.4\n",
    "out_of_range": "[plan]\nlocal_radius_class1_m = 0\ncoverage_target_pct = 101\n",
    "bad_number": "[daemon]\nmax_clients = 12abc\nidle_timeout_s = -1\nmax_line_bytes = 1e9\n",
    "unknown_key_section": "[nope]\nx = 1\n[daemon]\nfoo = bar\n",
    "key_before_section": "database = /x\n[store]\n",
    "bad_section": "[store\ndatabase = /x\n[]\n",
    "no_equals": "[daemon]\nmax_clients\n",
    "duplicate_key": "[daemon]\nmax_clients = 1\nmax_clients = 2\n",
    "long_line": "[store]\ndatabase = /" + "a" * 300 + "\n",
    "long_socket": "[daemon]\nsocket = /" + "s" * 120 + "\n",
    "empty_value": "[store]\ndatabase =\n[proj]\ngrid_dir =\n",
    "crlf_bom": "\ufeff[daemon]\r\nmax_clients = 4\r\n",
    "empty": "",
}

CSV = {
    "good_comma": "naam,x,y\nHal,92000,437000\nSchool,92100.5,437200\n",
    "good_semicolon_bom": "\ufeffnaam;x;y\r\n\"Hal; oost\";92000;437000\r\n\r\nKerk;1;2\r\n",
    "quoted_newline": "naam,opmerking\n\"A\",\"twee\nregels\"\n\"B \"\"C\"\"\",x\n",
    "unterminated_quote": "naam,x\n\"open,1\n",
    "quote_in_field": "naam,x\nab\"c,1\n",
    "ragged": "a,b,c\n1\n1,2,3,4,5\n",
    "blank_lines": "\n\n\nnaam\n\n\nx\n",
    "only_header": "naam,x,y",
    "empty_fields": ",,,\n,,,\n",
    "long_field": "naam\n" + "x" * 5000 + "\n",
    "empty": "",
}


def feature(geometry, props, fid=None):
    f = {"type": "Feature", "geometry": geometry, "properties": props}
    if fid is not None:
        f["id"] = fid
    return f


def collection(features, crs=None):
    c = {"type": "FeatureCollection", "features": features}
    if crs:
        c["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(c)


def point(x, y, *more):
    return {"type": "Point", "coordinates": [x, y, *more]}


HAL = {"name": "Sporthal", "kind": "sports_hall", "type": "hal", "capacity": 400, "fixed": True}
RD = "urn:ogc:def:crs:EPSG::28992"
GEOJSON = {
    "good_lonlat": collection([feature(point(4.4714576, 51.9179157), HAL, "h1"),
                               feature(point(5.1, 52.1), {"naam": "Kerk", "soort": "church",
                                                          "capaciteit": 1}, 7)]),
    "good_rd": collection([feature(point(92000, 437000), {"name": "Hal", "fixed": 0}),
                           feature(point(155000.5, 463000.25, 3.0), {"name": "School"})], RD),
    "empty_collection": collection([]),
    "outside_nl": collection([feature(point(13.4, 52.5), {"name": "Berlijn"})]),
    "outside_rd": collection([feature(point(-9e9, 1e12), {"name": "Ver"})], RD),
    "wrong_geometry_type": collection([feature({"type": "Polygon", "coordinates":
                                                [[[4, 52], [5, 52], [5, 53], [4, 52]]]},
                                               {"name": "Vlak"})]),
    "null_geometry": collection([feature(None, {"name": "Nergens"})]),
    "short_coordinates": collection([feature({"type": "Point", "coordinates": [4.5]},
                                             {"name": "Half"})]),
    "string_coordinates": collection([feature({"type": "Point", "coordinates": ["4.5", "52"]},
                                              {"name": "Tekst"})]),
    "capacity_string": collection([feature(point(4.5, 52), {"name": "A", "capacity": "veel"})]),
    "capacity_negative": collection([feature(point(4.5, 52), {"name": "A", "capacity": -1})]),
    "fixed_string": collection([feature(point(4.5, 52), {"name": "A", "fixed": "ja"})]),
    "kind_upper": collection([feature(point(4.5, 52), {"name": "A", "kind": "School"})]),
    "no_name": collection([feature(point(4.5, 52), {"kind": "school"})]),
    "null_properties": collection([feature(point(4.5, 52), None)]),
    "long_id": collection([feature(point(4.5, 52), {"name": "A"}, "x" * 100)]),
    "float_id": collection([feature(point(4.5, 52), {"name": "A"}, 1.5)]),
    "duplicate_id": collection([feature(point(4.5, 52), {"name": "A"}, 1),
                                feature(point(4.6, 52), {"name": "B"}, 1)]),
    "feature_not_object": '{"type":"FeatureCollection","features":[1,"two",null]}',
    "features_not_array": '{"type":"FeatureCollection","features":{}}',
    "not_collection": json.dumps(feature(point(4.5, 52), {"name": "A"})),
    "top_array": '[{"type":"FeatureCollection","features":[]}]',
    "duplicate_keys": '{"type":"FeatureCollection","type":"x","features":[]}',
    "crs_not_object": '{"type":"FeatureCollection","crs":28992,"features":[]}',
    "huge_number": '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":'
                   '{"type":"Point","coordinates":[1e400,52]},"properties":{"name":"A"}}]}',
    "nul_in_string": '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":'
                     '{"type":"Point","coordinates":[4.5,52]},"properties":{"name":"A\\u0000B"}}]}',
    "truncated": collection([feature(point(4.5, 52), HAL)])[:60],
    "deep": "[" * 3000 + "]" * 3000,
    "empty": "",
}

def write(target, name, data):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def main():
    for name, blob in gpkg_seeds().items():
        write("gpkg_blob", name, blob)
    for name, line in RPC:
        write("rpc", name, line.encode("latin-1"))
    for name, text in CONFIG.items():
        write("config", name, text)
    for name, text in CSV.items():
        write("csv", name, text)
    # A NUL byte once made csv_next loop forever; csv_open now refuses it.
    write("csv", "nul_byte", "naam,x\na\0b,1\n")
    # Polygons on which GEOS 3.11 leaks inside its repair (found by fuzz_gpkg_blob in CI):
    # one with a NaN coordinate (geom_from_wkb now refuses it) and two degenerate ones whose
    # leaks are GEOS's own (suppressed by name in fuzz/lsan.supp).
    write("gpkg_blob", "nan_polygon_leak", base64.b64decode(
        "R1AAA0BxAAAAAAAAAAAAAAAAAAAAACRAAAAAAAAAAAAAAAAAAAAkQAEDAAAAAgAAAAUAAAAAAAAAAAAAAAAA"
        "AAAAAAAAAAAAAAAAPgAAQAAAAAAAAAAAAIAAQD4AAAAAAAAAMAAAAAAAAAD4/wAAAAAAAAAAAAAAAAAAAAAA"
        "AAAAAAAAAAUAAAAAAAAAAAAAQAAAAAAAAABAAAAkQAAAAAAAACRAAAAAAAAAAAAAAAAAAABAAAAAACQAAAAA"
        "AAAAAAAAAAAFAAAAAAAAAAAAAEAAAAAAAAAAQA=="))
    write("gpkg_blob", "geos_overlay_leak", base64.b64decode(
        "R1AAA0BxAAAAAAAAAAAAAAAAAAAAACRAAAAAAAAAAAAAAAAAAAAkQAEDAAAAAgAAAAUAAAAAAAAAAAAAAAAA"
        "AAAAAAAAAAAAAAAAPgAAQAAAAAAAAAAAAIAAQML/TjRnZW9zNGdlb20xME11bHRpUG9pbnRFAAAAAAAAAAAA"
        "AAAAAAAAAAUAAAAAAAAAAAAAQAAAAAAAAABAAAAkQAAAAAAAACRAAAAAAABiYWRfYWxsb2NAAAAAACQAAAAA"
        "AAAAAAAAAAAFAAAAAAAAAAAAAEAAAAAAAAAAQA=="))
    write("gpkg_blob", "geos_buffer_leak", base64.b64decode(
        "R1AAA0BxAAAAAAAAAAAAYmFkX2FsbG9jAAAAAAAAAAACAAAAAAAkQAEDAAAAAgAAAAUAAAAAAAAAAAAAAAAA"
        "AAAAAAAAAEAAAAAAAAAAAACAAEDC/044Z2VvczRnZW9tMTBNdWx0aVBvaW50RQAAAABpbnRFAAAAAAAAAAAA"
        "AAAAAAAAAAUAAAAAAAAAAAAAQAAAAAAAAABAAAAkQAAAAAAAACRAAAAAAABiYWRfYWxsb2NAAAAAACQAAAAA"
        "AAAAAAAAAAAFAAAAAAAAAAAAAEAAAAAAAAAAQA=="))
    for name, text in GEOJSON.items():
        write("geojson", name, text)
    write("geojson", "bad_utf8", b'{"type":"FeatureCollection","features":[{"properties":'
                                 b'{"name":"\xff\xfe"}}]}')


if __name__ == "__main__":
    main()
