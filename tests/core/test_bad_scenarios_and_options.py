"""Bad scenario files, parameter overrides and options give the clean error (exit 2), bounded.

Every case asserts exit code 2, a Vietnamese message naming the file or option, the key and the
(shortened) value, no "Lỗi không mong đợi", and that every input file is byte-identical afterwards.
Hypothesis covers the scenario models and the override ranges as classes.
"""

from __future__ import annotations

import hashlib
import math
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kimson_ds.cli import main
from kimson_ds.config import NUMBER_MAX, load_yaml_text, parse_scenario
from kimson_ds.errors import ParameterError, ScenarioError
from kimson_ds.rotation.model import RotationScenario
from kimson_ds.rules.parameters import list_parameters, override_range, parameters

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "kimson"
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"
ROTATION = (ROOT / "data" / "scenarios" / "luan-chuyen-2016.yaml").read_text(encoding="utf-8")
TRAINING = (ROOT / "data" / "scenarios" / "dao-tao-2020-2025.yaml").read_text(encoding="utf-8")


def _hashes(*paths: Path) -> dict[str, str]:
    out = {}
    for p in paths:
        files = [p] if p.is_file() else sorted(q for q in p.rglob("*") if q.is_file())
        out.update({str(f): hashlib.sha256(f.read_bytes()).hexdigest() for f in files})
    return out


def _run(argv, capsys, inputs) -> str:
    before = _hashes(*inputs)
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    text = out.out + out.err
    assert code == 2, f"exit {code}:\n{text[:3000]}"
    assert "Lỗi không mong đợi" not in text and "Traceback" not in text, text[:3000]
    assert _hashes(*inputs) == before
    assert len(text) < 5_000, f"unbounded message ({len(text)} characters)"
    return text


def _scenario(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _with(base: str, **changes) -> str:
    data = yaml.safe_load(base)
    for dotted, value in changes.items():
        node = data
        *parents, last = dotted.split("__")
        for p in parents:
            node = node.setdefault(p, {})
        node[last] = value
    return yaml.safe_dump(data, allow_unicode=True)


# ----------------------------------------------------------------------------- scenario numbers
ROTATION_CASES = {
    "trong-so-nan": ({"weights__merit": float("nan")}, "weights.merit", "nan"),
    "trong-so-inf": ({"weights__need": float("inf")}, "weights.need", "inf"),
    "trong-so-am": ({"weights__distance": -0.5}, "weights.distance", "-0.5"),
    "so-luong-am": ({"posts__counts__bi_thu": -2}, "posts.counts", "-2"),
    "phuong-an-vo-ly": ({"alternatives": 1_000_000_000}, "alternatives", "1000000000"),
    "phuong-an-qua-nhieu": ({"alternatives": 500}, "alternatives", "500"),
    "phat-am": ({"penalties__count": -1}, "penalties.count", "-1"),
    "phu-nu-am": ({"rules__gender__min_women": -1}, "rules.gender.min_women", "-1"),
    "ngay-9999": ({"as_of": "9999-12-31"}, "as_of", "9999"),
}


@pytest.mark.parametrize("case", sorted(ROTATION_CASES))
def test_rotation_scenario_numbers_are_checked(case, tmp_path, capsys):
    changes, key, value = ROTATION_CASES[case]
    path = _scenario(tmp_path, _with(ROTATION, **changes))
    text = _run(["rotate", MINIMAL, "--scenario", path, "--out", tmp_path / "o"], capsys, [path, MINIMAL])
    assert "s.yaml" in text and key in text and value in text, text


TRAINING_CASES = {
    "ngan-sach-nan": ({"budget_million_vnd": float("nan")}, "budget_million_vnd", "nan"),
    "ngan-sach-am": ({"budget_million_vnd": -100}, "budget_million_vnd", "-100"),
    "cho-hoc-am": ({"seats": {"LLCT_TC": -3}}, "seats", "-3"),
    "thoi-gian-inf": ({"time_limit_seconds": float("inf")}, "time_limit_seconds", "inf"),
}


@pytest.mark.parametrize("case", sorted(TRAINING_CASES))
def test_training_scenario_numbers_are_checked(case, tmp_path, capsys):
    changes, key, value = TRAINING_CASES[case]
    path = _scenario(tmp_path, _with(TRAINING, **changes))
    text = _run(["train", MINIMAL, "--scenario", path, "--out", tmp_path / "o"], capsys, [path, MINIMAL])
    assert key in text and value in text, text


# ----------------------------------------------------------------------------- hostile YAML
def _bomb(levels: int = 9) -> str:
    lines = ["as_of: 2016-11-30", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    lines.append(f"posts: {{counts: {{bi_thu: *a{levels - 1}}}}}")
    return "\n".join(lines) + "\n"


HOSTILE = {
    "bom-tham-chieu": (_bomb(), "tham chiếu"),
    "long-5000-cap": ("x: " + "[" * 5000 + "]" * 5000 + "\n", "lồng nhau quá sâu"),
    "long-5000-cap-bang": ("x: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n", "lồng nhau quá sâu"),
    "the-python": ("as_of: !!python/object/apply:os.system ['echo x']\n", "không được phép"),
    "the-python-name": ("as_of: !!python/name:os.system\n", "không được phép"),
    "khoa-trung": ("as_of: 2016-11-30\nas_of: 2017-01-01\nposts: {counts: {bi_thu: 1}}\n", "bị trùng lặp"),
    "ngay-khong-co": ("as_of: 2016-02-30\nposts: {counts: {bi_thu: 1}}\n", "ngày"),
    "cu-phap": ("as_of: [2016\n", "cú pháp YAML"),
    "khong-phai-bang": ("- 1\n- 2\n", "bảng khóa: giá trị"),
    "chuoi-khong-lo": ("name: " + "x" * 200_000 + "\nas_of: 2016-11-30\nposts: 5\n", "cần một bảng"),
}


@pytest.mark.parametrize("command", ["rotate", "train", "plan"])
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_yaml_is_refused_without_expanding_it(case, command, tmp_path, capsys):
    text_in, words = HOSTILE[case]
    path = _scenario(tmp_path, text_in)
    out = tmp_path / "o"
    argv = {"rotate": ["rotate", MINIMAL, "--scenario", path, "--out", out],
            "train": ["train", MINIMAL, "--scenario", path, "--out", out],
            "plan": ["plan", MINIMAL, "--scenario", path, "--check", "--out", out]}[command]
    text = _run(argv, capsys, [path, MINIMAL])
    assert "s.yaml" in text
    if command == "rotate" or case not in ("chuoi-khong-lo", "ngay-khong-co"):
        assert words in text or "không hợp lệ" in text, text


def test_alias_bomb_is_refused_before_it_is_expanded():
    with pytest.raises(ScenarioError, match="tham chiếu"):
        load_yaml_text(_bomb(12), "bom.yaml")  # 9**12 values if expanded


def test_small_aliases_are_still_allowed():
    data = load_yaml_text("base: &b {merit: 1.0}\nweights: *b\n", "ok.yaml")
    assert data["weights"] == {"merit": 1.0}


# ----------------------------------------------------------------------------- pair_scores / baseline
PAIRS = {
    "dong-trung": ("cadre_id,post_id,score\nCB0003,XA_KIM_TRUNG-BI_THU-1,1\nCB0003,XA_KIM_TRUNG-BI_THU-1,2\n",
                   "trùng"),
    "ma-la": ("cadre_id,post_id,score\nKHONG_CO,XA_KIM_TRUNG-BI_THU-1,1\n", "KHONG_CO"),
    "vi-tri-la": ("cadre_id,post_id,score\nCB0003,KHONG_CO_VI_TRI,1\n", "KHONG_CO_VI_TRI"),
    "diem-nan": ("cadre_id,post_id,score\nCB0003,XA_KIM_TRUNG-BI_THU-1,nan\n", "nan"),
    "diem-inf": ("cadre_id,post_id,score\nCB0003,XA_KIM_TRUNG-BI_THU-1,1e999\n", "1e999"),
    "cot-trung": ("cadre_id,post_id,score,score\nCB0003,XA_KIM_TRUNG-BI_THU-1,1,2\n", "cột trùng"),
    "thieu-cot": ("cadre_id,score\nCB0003,1\n", "thiếu cột"),
}


@pytest.mark.parametrize("case", sorted(PAIRS))
def test_pair_scores_file_is_checked_row_by_row(case, tmp_path, capsys):
    body, words = PAIRS[case]
    (tmp_path / "pairs.csv").write_text(body, encoding="utf-8")
    sc = yaml.safe_load(ROTATION)
    sc.update(as_of="2019-12-31", pair_scores="pairs.csv", posts={"position_ids": ["XA_KIM_TRUNG-BI_THU-1"]},
              candidates={"cadre_ids": ["CB0003", "CB0004"]})
    path = _scenario(tmp_path, yaml.safe_dump(sc, allow_unicode=True))
    text = _run(["rotate", MINIMAL, "--scenario", path, "--out", tmp_path / "o"], capsys,
                [path, tmp_path / "pairs.csv", MINIMAL])
    assert "pairs.csv" in text and words in text, text


# ----------------------------------------------------------------------------- --params overrides
OVERRIDES = {
    "tuoi-huu-0": ("retirement.age_men_months: 0\n", "retirement.age_men_months"),
    "ty-le-nan": ("rating.excellent_quota_of_good: .nan\n", "nan"),
    "ty-le-am": ("rating.excellent_quota_of_good: -0.2\n", "-0.2"),
    "ty-le-qua-1": ("rating.excellent_quota_of_good: 3\n", "3"),
    "thang-am": ("rotation.discipline_bar_months: {khien_trach: -3}\n", "-3"),
    "ty-le-inf": ("planning.women_share_min: .inf\n", "inf"),
    "sai-kieu": ("rating.excellent_quota_of_good: abc\n", "không đúng kiểu"),
    "ten-la": ("khong.ton_tai: 1\n", "khong.ton_tai"),
}


@pytest.mark.parametrize("command", ["rate", "vet"])
@pytest.mark.parametrize("case", sorted(OVERRIDES))
def test_parameter_overrides_have_typed_ranges(case, command, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    body, words = OVERRIDES[case]
    ov = _scenario(tmp_path, body, "ov.yaml")
    shutil.copy(ROOT / "data" / "scenarios" / "de-xuat-mau.csv", tmp_path / "p.csv")
    argv = {"rate": ["rate", SAMPLE, "--year", "2018", "--params", ov, "--out", tmp_path / "r.csv"],
            "vet": ["vet", SAMPLE, "--proposals", tmp_path / "p.csv", "--params", ov, "--out", tmp_path / "o"]}
    text = _run(argv[command], capsys, [ov, tmp_path / "p.csv"])
    assert words in text, text


@settings(max_examples=40, deadline=None)
@given(name=st.sampled_from(list_parameters()),
       value=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**20, 10**20)))
def test_any_numeric_override_is_in_its_typed_range_or_refused(name, value):
    try:
        ps = parameters("2020-12-31", {name: value})
    except ParameterError:
        return
    got = ps.get(name)
    low, high, _ = override_range(name)
    assert isinstance(got, (int, float)) and math.isfinite(got) and low <= got <= high


# ----------------------------------------------------------------------------- options
OPTIONS = {
    "export-khong-ro": (["export", MINIMAL, "--out", "{tmp}/x.xlsx", "--as-of", "không rõ"], "không rõ"),
    "validate-9999": (["validate", MINIMAL, "--as-of", "9999-12-31"], "9999-12-31"),
    "validate-0001": (["validate", MINIMAL, "--as-of", "0001-01-01"], "0001-01-01"),
    "rate-nam-9999": (["rate", MINIMAL, "--year", "9999", "--out", "{tmp}/r.csv"], "9999"),
    "rate-so-sanh": (["rate", MINIMAL, "--year", "2018", "--compare-as-of", "31/02/2019", "--out", "{tmp}/r.csv"],
                     "31/02/2019"),
    "vet-ngay": (["vet", MINIMAL, "--proposals", "{tmp}/p.csv", "--as-of", "hôm qua", "--out", "{tmp}/o"], "hôm qua"),
    "plan-tu-ngay": (["plan", MINIMAL, "--review", "--from", "2019-13-01", "--to", "2019-12-31", "--out", "{tmp}/o"],
                     "2019-13-01"),
    "report-ngay": (["report", ROOT / "notebooks" / "00-tong-quan.ipynb", "-p", "as_of", "không rõ",
                     "--out", "{tmp}/o"], "không rõ"),
    "report-nan": (["report", ROOT / "notebooks" / "10-xep-loai.ipynb", "-p", "year", "nan", "--out", "{tmp}/o"],
                   "nan"),
    "gia-tri-dai": (["validate", MINIMAL, "--as-of", "x" * 100_000], "ký tự"),
}


@pytest.mark.parametrize("case", sorted(OPTIONS))
def test_bad_options_are_refused_with_the_option_and_value(case, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    shutil.copy(ROOT / "data" / "scenarios" / "de-xuat-mau.csv", tmp_path / "p.csv")
    argv, value = OPTIONS[case]
    argv = [str(a).replace("{tmp}", str(tmp_path)) for a in argv]
    text = _run(argv, capsys, [MINIMAL, tmp_path / "p.csv"])
    assert value in text, text


@pytest.mark.parametrize("typed", ["31/12/2019", "2019-12-31", "31-12-2019"])
def test_report_date_parameter_accepts_the_data_formats(typed):
    from kimson_ds.papers.report import resolve_parameters

    got = resolve_parameters(ROOT / "notebooks" / "00-tong-quan.ipynb", cli_pairs=[("as_of", typed)])
    assert got["as_of"] == "2019-12-31"


def test_validate_accepts_dd_mm_yyyy_as_of(capsys):
    assert main(["validate", str(MINIMAL), "--as-of", "31/12/2019"]) == 0


# ----------------------------------------------------------------------------- scenario models as classes
_numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**12, 10**12))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(merit=_numbers, need=_numbers, alternatives=_numbers, count=_numbers, penalty=_numbers)
def test_rotation_scenario_numbers_are_finite_non_negative_and_bounded(merit, need, alternatives, count, penalty):
    data = {"as_of": "2019-12-31", "posts": {"counts": {"bi_thu": count}}, "alternatives": alternatives,
            "weights": {"merit": merit, "need": need}, "penalties": {"count": penalty}}
    try:
        sc = parse_scenario(data, RotationScenario, "h.yaml")
    except ScenarioError as exc:
        assert "h.yaml" in str(exc) and len(str(exc)) < 3_000
        return
    for v in (sc.weights.merit, sc.weights.need, sc.penalties.count, *sc.posts.counts.values()):
        assert math.isfinite(v) and 0 <= v <= NUMBER_MAX
    assert 1 <= sc.alternatives <= 20


@settings(max_examples=40, deadline=None)
@given(st.recursive(st.one_of(st.integers(), st.floats(), st.text(max_size=5), st.none()),
                    lambda kids: st.one_of(st.lists(kids, max_size=4), st.dictionaries(st.text(max_size=3), kids,
                                                                                       max_size=4)),
                    max_leaves=30))
def test_any_yaml_value_is_either_loaded_or_refused_in_vietnamese(value):
    text = yaml.safe_dump({"as_of": "2019-12-31", "posts": {"counts": {"bi_thu": 1}}, "weights": value},
                          allow_unicode=True)
    try:
        parse_scenario(load_yaml_text(text, "v.yaml"), RotationScenario, "v.yaml")
    except ScenarioError as exc:
        assert "v.yaml" in str(exc) and len(str(exc)) < 3_000


def test_assigning_an_absurd_value_to_a_scenario_is_refused():
    """Notebooks and panels set fields after loading (``sc.alternatives = …``): checked too."""
    from pydantic import ValidationError

    sc = parse_scenario({"as_of": "2019-12-31", "posts": {"counts": {"bi_thu": 1}}}, RotationScenario)
    for field, value in (("alternatives", 1_000_000_000), ("baseline_penalty", float("nan"))):
        with pytest.raises(ValidationError):
            setattr(sc, field, value)


@pytest.mark.slow
@pytest.mark.parametrize("notebook, name, value", [("30-luan-chuyen.ipynb", "alternatives", "1000000000"),
                                                    ("10-xep-loai.ipynb", "year", "99999")])
def test_report_notebook_refusing_a_parameter_exits_2(notebook, name, value, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    text = _run(["report", ROOT / "notebooks" / notebook, "-p", name, value, "--out", tmp_path / "o"], capsys,
                [ROOT / "notebooks" / notebook, SAMPLE])
    assert value in text and notebook in text
