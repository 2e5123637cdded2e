"""The appointment and nomination procedure, step by step, from the ballot tallies.

Formulation
-----------
A procedure (one post, one action, one source of candidates) runs the steps of
``procedure.steps`` in force on its start date: five for candidates from the
unit itself (tại chỗ), two for candidates from elsewhere (từ nơi khác). For each
step with a ballot:

1. **Quorum.** The meeting counts only when ``present ≥ q · members`` with
   ``q = procedure.quorum_share`` (2/3); otherwise the step must be held again.
2. **Share.** Each person's share is ``votes / members``: the denominator is the
   total number of members summoned (tổng số thành viên), never those present.
3. **Rule.** A nomination ballot with a threshold (step 3) sends on the person
   with the most votes if that share is above the threshold (> 50 %); if nobody
   is above it, the ``fallback_top`` people with the most votes go on; a tie at
   the cut is settled as ``tie_at_cut`` says (the head's recorded choice, or
   nobody). An approval ballot (the last step) proposes the contender whose share
   is above the threshold; exactly 50 % is not above it. Ballots without a
   threshold (step 2, the key cadres' opinion in step 4) are recorded for the
   collective to weigh, and narrow nobody.

Every row of the result cites the regulation and says whether the rule is an
ASSUMPTION (GIẢ ĐỊNH).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import pandas as pd

from kimson_ds.data.codes import COLLECTIVE, PROCEDURE_ACTION, PROCEDURE_SOURCE, TITLE
from kimson_ds.data.io import Dataset
from kimson_ds.errors import DataError
from kimson_ds.procedure.tally import check_tallies, raise_issues
from kimson_ds.rules.competence import citation, competence
from kimson_ds.rules.parameters import parameters

__all__ = ["STATUS_VI", "ProcedureResult", "evaluate_procedures"]

#: Outcome of a procedure, in Vietnamese.
STATUS_VI = {
    "de_nghi": "Đủ điều kiện đề nghị",
    "khong_dat": "Không đạt tỷ lệ",
    "to_chuc_lai": "Phải tổ chức lại hội nghị",
    "cho_lua_chon": "Chờ người đứng đầu lựa chọn",
    "dang_thuc_hien": "Đang thực hiện",
}
#: Outcomes that mean "someone fails a threshold" (exit code 1).
FAILING = ("khong_dat", "to_chuc_lai")


@dataclass
class ProcedureResult:
    """Results of :func:`evaluate_procedures`.

    Attributes
    ----------
    summary : DataFrame
        One row per procedure: the post, who decides it and how, the outcome and the
        proposed person, the reason and the references.
    steps : DataFrame
        One row per (procedure, step, person): counts, share, rule and decision.
    parameters : dict
        The regulation values used, by name.
    """

    summary: pd.DataFrame
    steps: pd.DataFrame
    parameters: dict = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """1 when a procedure fell short of a threshold or must hold a meeting again, else 0."""
        return int(self.summary["status"].isin(FAILING).any())


def _pct(x: Fraction | float) -> str:
    value = float(x) * 100
    text = f"{value:.1f}".replace(".", ",")
    return text[:-2] if text.endswith(",0") else text


def _quorum(members: int, present: int, q: Fraction) -> bool:
    return Fraction(present) >= q * members


def evaluate_procedures(ds: Dataset, *, procedure_ids: list[str] | None = None) -> ProcedureResult:
    """Apply the procedure's rules to the recorded tallies.

    Parameters
    ----------
    ds : Dataset
        With the ``procedures``, ``ballot_rounds`` and ``ballot_votes`` tables.
    procedure_ids : list of str, optional
        Only these procedures (all by default).

    Raises
    ------
    DataError
        The tallies are inconsistent (each problem names the sheet, row and column),
        or an unknown procedure id is asked for.
    """
    issues = check_tallies(ds)
    raise_issues(issues, "Số liệu kiểm phiếu")
    procs = ds["procedures"]
    if procedure_ids:
        unknown = sorted(set(procedure_ids) - set(procs["procedure_id"]))
        if unknown:
            raise DataError("Không có quy trình: " + ", ".join(unknown)
                            + (" (có: " + ", ".join(procs["procedure_id"]) + ")." if len(procs) else "."))
        procs = procs.loc[procs["procedure_id"].isin(procedure_ids)]
    units = ds["units"].set_index("unit_id")
    names = ds["cadres"].set_index("cadre_id")["full_name"]
    rounds = ds["ballot_rounds"].set_index(["procedure_id", "step"]).sort_index()
    votes = ds["ballot_votes"]

    summaries, step_rows, used = [], [], {}
    for p in procs.sort_values(["started_on", "procedure_id"]).itertuples(index=False):
        params = parameters(p.started_on)
        steps = params.get("procedure.steps")[p.source]
        q = Fraction(params.get("procedure.quorum_share")).limit_denominator(100)
        steps_ref, steps_assumed = citation(params, "procedure.steps")
        q_ref, _ = citation(params, "procedure.quorum_share")
        unit_kind = units["kind"].get(p.unit_id)
        comp = competence(pd.DataFrame({"title": [p.title], "unit_kind": [unit_kind]}), p.started_on,
                          params=params).iloc[0]
        used.update(params.used)
        post = f"{TITLE.get(p.title, p.title)} {units['name'].get(p.unit_id, p.unit_id)}"
        warnings = []
        if comp["mode"] == "bau" and p.action == "bo_nhiem":
            warnings.append(f"Chức danh {post} được bầu (giới thiệu ứng cử), không bổ nhiệm")
        if comp["mode"] == "bo_nhiem" and p.action == "gioi_thieu_ung_cu":
            warnings.append(f"Chức danh {post} được bổ nhiệm, không bầu")
        if not comp["body_vi"]:
            warnings.append("Không xác định được cấp có thẩm quyền quyết định chức danh này vào ngày bắt đầu")

        contenders: list[str] | None = None  # None: anyone may be nominated
        status, reason, proposed = "dang_thuc_hien", "", None
        for s in steps:
            if s["ballot"] == "khong":
                continue
            key = (p.procedure_id, s["step"])
            if key not in rounds.index:
                status = "dang_thuc_hien"
                reason = f"Chưa có số liệu kiểm phiếu bước {s['step']}: {s['name_vi'].lower()}."
                break
            r = rounds.loc[key]
            members, present = int(r["members"]), int(r["present"])
            v = votes.loc[(votes["procedure_id"] == p.procedure_id) & (votes["step"] == s["step"])]
            v = v.sort_values(["votes", "cadre_id"], ascending=[False, True])
            base = dict(procedure_id=p.procedure_id, step=s["step"], step_vi=s["name_vi"],
                        collective_vi=COLLECTIVE.get(s["collective"], s["collective"]), held_on=r["held_on"],
                        members=members, present=present, issued=int(r["issued"]), returned=int(r["returned"]),
                        valid=int(r["valid"]), reference=steps_ref, assumption=steps_assumed)
            if not _quorum(members, present, q):
                need = -(-q.numerator * members // q.denominator)
                status = "to_chuc_lai"
                reason = (f"Bước {s['step']}: chỉ có {present}/{members} người có mặt, chưa đủ {need} người "
                          f"(2/3 số được triệu tập); hội nghị phải tổ chức lại ({q_ref}).")
                step_rows.append({**base, "cadre_id": "", "full_name": "", "votes": None, "share_pct": "",
                                  "rule_vi": "Có mặt ít nhất 2/3 số người được triệu tập",
                                  "decision_vi": "Hội nghị không đủ số người", "reference": q_ref})
                break
            threshold = s.get("threshold")
            rule = ("Không có ngưỡng; kết quả là cơ sở để tập thể lãnh đạo xem xét" if threshold is None else
                    f"Trên {_pct(threshold)}% tổng số thành viên được triệu tập ({members} người)")
            shares = {cid: Fraction(int(n), members) for cid, n in zip(v["cadre_id"], v["votes"], strict=True)}
            decisions: dict[str, str] = {}
            if threshold is None:
                decisions = {cid: "Ghi nhận" for cid in shares}
            elif s["ballot"] == "gioi_thieu":
                pool = list(shares)  # anyone meeting the standards may be nominated at this step
                above = [c for c in pool if shares[c] > Fraction(threshold).limit_denominator(1000)]
                if above:
                    top = min(above, key=lambda c: (-shares[c], c))
                    chosen = [top]
                    decisions = {c: ("Được giới thiệu (trên ngưỡng, cao nhất)" if c == top else "Không đi tiếp")
                                 for c in pool}
                else:
                    k = int(s.get("fallback_top", 1))
                    ordered = sorted(pool, key=lambda c: (-shares[c], c))
                    chosen = ordered
                    if len(ordered) > k:
                        cut = shares[ordered[k - 1]]
                        sure = [c for c in ordered if shares[c] > cut]
                        at_cut = [c for c in ordered if shares[c] == cut]
                        places = k - len(sure)
                        head = p.head_choice_id if isinstance(p.head_choice_id, str) else None
                        if len(at_cut) <= places:
                            chosen = sure + at_cut
                        elif s.get("tie_at_cut") == "nguoi_dung_dau" and places == 1 and head in at_cut:
                            chosen = [*sure, head]
                        else:
                            chosen = sure
                            status = "cho_lua_chon"
                            reason = (f"Bước {s['step']}: không ai đạt trên {_pct(threshold)}%; "
                                      f"{len(at_cut)} người bằng phiếu ở vị trí cuối cho {places} chỗ ("
                                      + ", ".join(names.get(c, c) for c in at_cut)
                                      + "): người đứng đầu lựa chọn (ghi vào cột Người đứng đầu lựa chọn).")
                    decisions = {c: ("Đi tiếp (một trong số người cao phiếu nhất vì không ai trên ngưỡng)"
                                     if c in chosen else "Không đi tiếp") for c in pool}
                contenders = chosen
            else:  # approval ballot
                pool = list(contenders) if contenders is not None else list(shares)
                limit = Fraction(threshold).limit_denominator(1000)
                passed = [c for c in pool if shares.get(c, Fraction(0)) > limit]
                for c in pool:
                    share = shares.get(c, Fraction(0))
                    decisions[c] = ("Đạt (trên ngưỡng)" if c in passed else
                                    "Không đạt (đúng bằng ngưỡng, chưa quá một nửa)" if share == limit else
                                    "Không đạt (dưới ngưỡng)")
                    shares.setdefault(c, share)
                if len(passed) > 1:
                    best = max(shares[c] for c in passed)
                    top = [c for c in passed if shares[c] == best]
                    head = p.head_choice_id if isinstance(p.head_choice_id, str) else None
                    passed = [head] if len(top) > 1 and head in top else top
                contenders = passed
            for cid, share in sorted(shares.items(), key=lambda kv: (-kv[1], kv[0])):
                step_rows.append({**base, "cadre_id": cid, "full_name": names.get(cid, ""),
                                  "votes": int(share * members), "share_pct": _pct(share) + "%", "rule_vi": rule,
                                  "decision_vi": decisions.get(cid, "")})
            if status == "cho_lua_chon":
                break
            if s["ballot"] == "bieu_quyet" or (s is steps[-1]):
                if len(contenders or []) == 1:
                    status, proposed = "de_nghi", contenders[0]
                    reason = (f"{names.get(proposed, proposed)} đạt {_pct(shares[proposed])}% tổng số thành viên "
                              f"tập thể lãnh đạo ({int(shares[proposed] * members)}/{members}) ở bước {s['step']}, "
                              f"trên {_pct(threshold)}%.")
                elif contenders:
                    status = "cho_lua_chon"
                    reason = (f"Bước {s['step']}: {len(contenders)} người cùng đạt tỷ lệ cao nhất; "
                              "người đứng đầu lựa chọn.")
                else:
                    status = "khong_dat"
                    best = max(shares.values(), default=Fraction(0))
                    reason = (f"Bước {s['step']}: không ai đạt trên {_pct(threshold)}% tổng số thành viên tập thể "
                              f"lãnh đạo ({members} người); cao nhất {_pct(best)}%. Quy trình dừng; tập thể lãnh "
                              "đạo xem xét giới thiệu lại từ bước giới thiệu hoặc nhân sự khác (giả định).")
                break
        summaries.append(dict(
            procedure_id=p.procedure_id, post=post, action_vi=PROCEDURE_ACTION.get(p.action, p.action),
            source_vi=PROCEDURE_SOURCE.get(p.source, p.source), started_on=p.started_on,
            body_vi=comp["body_vi"], mode_vi=comp["mode_vi"], status=status, status_vi=STATUS_VI[status],
            proposed_id=proposed or "", proposed_name=names.get(proposed, "") if proposed else "",
            reason=reason, warnings="; ".join(warnings), reference=steps_ref, competence_reference=comp["reference"],
            assumption=steps_assumed,
        ))
    summary = pd.DataFrame(summaries, columns=[
        "procedure_id", "post", "action_vi", "source_vi", "started_on", "body_vi", "mode_vi", "status", "status_vi",
        "proposed_id", "proposed_name", "reason", "warnings", "reference", "competence_reference", "assumption"])
    steps_df = pd.DataFrame(step_rows, columns=[
        "procedure_id", "step", "step_vi", "collective_vi", "held_on", "members", "present", "issued", "returned",
        "valid", "cadre_id", "full_name", "votes", "share_pct", "rule_vi", "decision_vi", "reference", "assumption"])
    return ProcedureResult(summary, steps_df, used)
