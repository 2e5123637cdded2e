"""Why a demand is not met: every blocking rule named, with counts and people.

For each demand the plan leaves short (posts of a title, one post, women
overall or for a title), :func:`blocking_reasons` names

* the eligibility rules that exclude the missing candidates (seniority, the
  young-cadre rule, discipline, age, home commune, relatives holding a key
  post, current rotation, merger succession, bans), with how many people each
  rule excludes and who they are;
* the side rules of the model that stop eligible candidates from being used
  (relatives never together in one commune, the source-unit cap, the women
  minimum): a side rule is named when switching it off alone reduces the
  shortfall, and the people it involves are listed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kimson_ds.rotation.eligibility import RULES

__all__ = ["RULE_NAMES", "blocking_reasons"]

#: Names of the eligibility rules as the diagnosis writes them.
RULE_NAMES = {"holder": "Đang giữ chính vị trí này", "ban": "Cặp bị cấm trong kịch bản",
              "discipline": "Đang bị kỷ luật", "current_rotation": "Đang luân chuyển chưa đủ thời gian",
              "years_left": "Số năm công tác còn lại", "seniority": "Thâm niên, bậc chức danh",
              "higher": "Chức vụ cao hơn, chưa nổi trội", "young": "Cán bộ trẻ chỉ làm cấp phó",
              "home": "Không về quê, nơi đang công tác", "relatives": "Người thân giữ chức vụ liên quan",
              "successor": "Chỉ vào xã mới kế thừa"}
_SIDE = {"relatives": "Người thân không cùng một xã", "source_units": "Giới hạn số người mỗi đơn vị nguồn",
         "gender": "Số nữ tối thiểu"}
_SHOW = 6


def _people(names: list[str]) -> str:
    head = ", ".join(names[:_SHOW])
    return head + (f" và {len(names) - _SHOW} người khác" if len(names) > _SHOW else "")


def _target(pb, kind: str, key: str) -> tuple[np.ndarray, bool]:
    """Posts (positions in pb.posts) concerned by a demand, and whether only women count."""
    title = pb.posts["title"].to_numpy()
    if kind in ("count", "women_title"):
        return np.flatnonzero(title == key), kind == "women_title"
    if kind == "post":
        return np.flatnonzero(pb.posts["post_id"].to_numpy() == key), False
    if kind == "women":
        return np.arange(len(pb.posts)), True
    return np.array([], dtype=int), False


def _excluded_by_rule(pb, posts_idx: np.ndarray, women_only: bool) -> list[str]:
    """Per eligibility rule: how many candidates it keeps out of every target post, and who."""
    n_p = len(pb.posts)
    elig = pb.elig
    ci = np.repeat(np.arange(len(pb.cands)), n_p)
    pi = np.tile(np.arange(n_p), len(pb.cands))
    sel = np.isin(pi, posts_idx)
    if women_only:
        sel &= pb.cands["gender"].to_numpy()[ci] == "nu"
    ok = elig["eligible"].to_numpy()
    sub_c = ci[sel]
    eligible_any = pd.Series(ok[sel]).groupby(sub_c).any()
    out_c = eligible_any.index[~eligible_any.to_numpy()]
    if not len(out_c):
        return []
    fails = elig.loc[sel, [f"fail_{r}" for r in RULES]].to_numpy()
    f = pd.DataFrame(fails, columns=list(RULES))
    f["c"] = sub_c
    every = f.groupby("c").all().reindex(out_c)  # rules failing on every target post of the candidate
    some = f.groupby("c").any().reindex(out_c)
    blame = every.where(every.any(axis=1), some, axis=0)
    names = pb.cands["full_name"].to_numpy()
    lines = []
    for r in sorted(RULES, key=lambda r: (-int(blame[r].sum()), RULES.index(r))):
        who = blame.index[blame[r].to_numpy()]
        if len(who):
            lines.append(f"{RULE_NAMES[r]}: {len(who)} người ({_people([names[c] for c in who])})")
    return lines


def _related_in_commune(pb, fm, posts_idx: np.ndarray) -> list[str]:
    """Related eligible candidates of the target posts who may not go to the same commune together."""
    if not len(pb.related):
        return []
    pairs = fm.pairs
    comm = pb.posts["commune_id"].to_numpy()
    ok = pairs[np.isin(pairs["pi"].to_numpy(), posts_idx)]
    cc = pd.DataFrame({"c": ok["cadre_id"].to_numpy(), "g": comm[ok["pi"].to_numpy()]}).drop_duplicates()
    both = pb.related.merge(cc, left_on="a", right_on="c").merge(cc, left_on=["b", "g"], right_on=["c", "g"])
    if not len(both):
        return []
    name = pb.cands.set_index("cadre_id")["full_name"]
    unit = pb.posts.drop_duplicates("commune_id").set_index("commune_id")["unit_name"]
    both = both.drop_duplicates(["a", "b", "g"]).sort_values(["g", "a", "b"])
    return [f"{name.get(a, a)} và {name.get(b, b)} là người thân, không được cùng về {unit.get(g, g)}"
            for a, b, g in zip(both["a"], both["b"], both["g"], strict=True)]


def blocking_reasons(pb, fm, sol) -> list[str]:
    """Vietnamese lines naming, for every unmet demand, each rule that blocks it (with counts and people)."""
    from kimson_ds.rotation.matrix import build_fast
    from kimson_ds.rotation.model import solve_fast

    short = sol.slacks[sol.slacks["short"] > 1e-6]
    short = short[short["kind"].isin(["count", "post", "women", "women_title"])]
    if not len(short):
        return []
    # side rules: does switching one off alone reduce the shortfall?
    side_effect: dict[str, pd.Series] = {}
    sc = pb.scenario
    candidates = []
    if len(pb.related):
        candidates.append("relatives")
    if sc.rules.source_units.enabled and sc.rules.source_units.max_per_unit is not None:
        candidates.append("source_units")
    if (pb.demands["kind"].isin(["women", "women_title"])).any():
        candidates.append("gender")
    for fam in candidates:
        other = solve_fast(build_fast(pb, soft=True, exclude_rules=(fam,), settings=sc.solver), ties=False)
        if other.optimal:
            side_effect[fam] = other.slacks.set_index(["kind", "key"])["short"]
    out = ["Các quy tắc chặn từng yêu cầu chưa đáp ứng:"]
    n_elig = fm.pairs.groupby("pi")["cadre_id"].nunique()
    for d in short.itertuples():
        posts_idx, women_only = _target(pb, d.kind, d.key)
        what = {"count": f"{d.label}", "post": f"vị trí {d.label}", "women": "nữ",
                "women_title": f"nữ làm {d.label}"}[d.kind]
        out.append(f"- Thiếu {int(round(d.short))} {what}:")
        lines = _excluded_by_rule(pb, posts_idx, women_only)
        if lines:
            out.append("  + Ứng viên bị loại theo quy tắc: " + "; ".join(lines) + ".")
        for fam, shorts in side_effect.items():
            if fam == "gender" and d.kind in ("women", "women_title"):
                continue
            after = float(shorts.get((d.kind, d.key), d.short))
            if after < d.short - 1e-6:
                detail = ""
                if fam == "relatives":
                    detail = ": " + "; ".join(_related_in_commune(pb, fm, posts_idx))
                elif fam == "source_units":
                    detail = f": tối đa {sc.rules.source_units.max_per_unit} người mỗi đơn vị nguồn"
                elif fam == "gender":
                    detail = ": phải dành vị trí cho ứng viên nữ"
                out.append(f"  + Quy tắc {_SIDE[fam]} chặn (bỏ quy tắc này thì thiếu {int(round(after))} "
                           f"thay vì {int(round(d.short))}){detail}.")
        n_ok = int(n_elig.reindex(posts_idx).fillna(0).gt(0).sum()) if len(posts_idx) else 0
        if not lines and n_ok == 0:
            out.append("  + Không có vị trí nào của yêu cầu này có ứng viên đủ điều kiện.")
    return out
