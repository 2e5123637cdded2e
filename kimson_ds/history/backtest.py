"""Compare an optimiser's plan with the decisions actually recorded (the 2016 back-test)."""

from __future__ import annotations

import pandas as pd


def compare_with_record(plan: pd.DataFrame, record: pd.DataFrame) -> dict:
    """Overlap between a plan and the recorded decisions, at three levels.

    Parameters
    ----------
    plan : DataFrame
        ``cadre_id``, ``unit_id``, ``title`` of each proposed assignment.
    record : DataFrame
        The same columns for the decisions recorded (e.g. the ``rotations``
        table with ``to_unit_id`` renamed ``unit_id``).

    Returns
    -------
    dict
        ``n_record``; ``same_person`` (recorded people the plan also moves),
        ``same_post`` (recorded (unit, title) the plan also fills),
        ``same_pair`` (same person to the same unit and title) — counts — and
        ``table``: one row per recorded decision with what the plan did for
        that person and for that post.
    """
    rec = record[["cadre_id", "unit_id", "title"]].reset_index(drop=True)
    pl = plan[["cadre_id", "unit_id", "title"]].reset_index(drop=True)
    by_person = pl.drop_duplicates("cadre_id").set_index("cadre_id")
    by_post = pl.drop_duplicates(["unit_id", "title"]).set_index(["unit_id", "title"])["cadre_id"]
    t = rec.copy()
    t["plan_unit_for_person"] = t["cadre_id"].map(by_person["unit_id"])
    t["plan_title_for_person"] = t["cadre_id"].map(by_person["title"])
    keys = pd.MultiIndex.from_frame(t[["unit_id", "title"]])
    t["plan_person_for_post"] = by_post.reindex(keys).to_numpy()
    t["same_person"] = t["plan_unit_for_person"].notna()
    t["same_post"] = t["plan_person_for_post"].notna()
    t["same_pair"] = t["plan_person_for_post"].eq(t["cadre_id"])
    return {
        "n_record": len(t),
        "n_plan": len(pl),
        "same_person": int(t["same_person"].sum()),
        "same_post": int(t["same_post"].sum()),
        "same_pair": int(t["same_pair"].sum()),
        "table": t,
    }


def recorded_rotations(ds, as_of, *, months: int = 12) -> pd.DataFrame:
    """Rotations recorded as starting within ``months`` after ``as_of``, with the post they took.

    Read from the work history (holdings filled by ``luan_chuyen``, with their
    position) when there is one, else from the ``rotations`` table (the first
    position of that unit and title).

    Returns
    -------
    DataFrame
        ``cadre_id``, ``unit_id``, ``title``, ``post_id``, ``start_date``.
    """
    t0 = pd.Timestamp(as_of)
    t1 = t0 + pd.DateOffset(months=months)
    wh = ds.tables.get("work_history")
    if wh is not None and len(wh):
        r = wh[(wh["filled_by"] == "luan_chuyen") & (wh["start_date"] > t0) & (wh["start_date"] <= t1)
               & wh["title"].isin(["bi_thu", "pho_bi_thu"])]
        out = pd.DataFrame({"cadre_id": r["cadre_id"], "unit_id": r["unit_id"], "title": r["title"],
                            "post_id": r["position_id"], "start_date": r["start_date"]})
    else:
        r = ds["rotations"]
        r = r[(r["start_date"] > t0) & (r["start_date"] <= t1)]
        pos = ds["positions"].sort_values("position_id").drop_duplicates(["unit_id", "title"])
        first = pos.set_index(["unit_id", "title"])["position_id"]
        keys = pd.MultiIndex.from_arrays([r["to_unit_id"], r["title"]])
        out = pd.DataFrame({"cadre_id": r["cadre_id"].to_numpy(), "unit_id": r["to_unit_id"].to_numpy(),
                            "title": r["title"].to_numpy(), "post_id": first.reindex(keys).to_numpy(),
                            "start_date": r["start_date"].to_numpy()})
    return out.sort_values(["start_date", "cadre_id"]).reset_index(drop=True)


def recorded_staffing(ds, post_ids, effective) -> pd.DataFrame:
    """Who the work history records in ``post_ids`` from the day a merger took effect (its staffing).

    Holdings of those posts starting within a month of ``effective``; empty
    without a work history. Same columns as :func:`recorded_rotations`.
    """
    wh = ds.tables.get("work_history")
    cols = ["cadre_id", "unit_id", "title", "post_id", "start_date"]
    if wh is None or not len(wh):
        return pd.DataFrame(columns=cols)
    t0 = pd.Timestamp(effective)
    r = wh[wh["position_id"].isin(list(post_ids)) & (wh["start_date"] >= t0)
           & (wh["start_date"] <= t0 + pd.DateOffset(months=1))]
    out = pd.DataFrame({"cadre_id": r["cadre_id"], "unit_id": r["unit_id"], "title": r["title"],
                        "post_id": r["position_id"], "start_date": r["start_date"]})
    return out.sort_values(["start_date", "post_id", "cadre_id"]).reset_index(drop=True)[cols]


def explain_record(record: pd.DataFrame, plan: pd.DataFrame, cands: pd.DataFrame, elig: pd.DataFrame,
                   scores: pd.DataFrame, names: pd.Series, unit_names: pd.Series, title_labels: dict,
                   post_labels: pd.Series | None = None, person_label: str = "Cán bộ đã luân chuyển") -> pd.DataFrame:
    """For each recorded rotation: was the person a candidate, was the pair eligible, what did the plan do.

    Parameters
    ----------
    record : DataFrame
        From :func:`recorded_rotations`.
    plan : DataFrame
        The plan's ``cadre_id`` and ``post_id``.
    cands, elig, scores : DataFrame
        The optimiser's candidates (``cadre_id``), eligibility table
        (``cadre_id``, ``post_id``, ``eligible``, ``reasons``) and pair scores
        (``cadre_id``, ``post_id``, ``score``).
    names, unit_names : Series
        Cadre id → full name; unit id → unit name.
    title_labels : dict
        Title code → Vietnamese label.
    post_labels : Series, optional
        Post id → "Phó Bí thư Kim Mỹ" (the post id itself when missing).
    person_label : str
        Heading of the people column ("Cán bộ được bố trí" for a merger's staffing).

    Returns
    -------
    DataFrame
        Vietnamese columns, one row per recorded rotation, with a plain
        explanation in "Giải thích".
    """
    pl_post = plan.set_index("post_id")["cadre_id"]
    pl_person = plan.set_index("cadre_id")["post_id"]
    el = elig.set_index(["cadre_id", "post_id"])
    sc = scores.set_index(["cadre_id", "post_id"])["score"]
    cand_set = set(cands["cadre_id"])
    rows = []
    for r in record.itertuples(index=False):
        key = (r.cadre_id, r.post_id)
        other = pl_post.get(r.post_id)
        mine = pl_person.get(r.cadre_id)
        if r.cadre_id not in cand_set:
            why = "Không thuộc diện ứng viên của kịch bản (đơn vị nguồn hoặc quy hoạch vào ngày đó)."
        elif key not in el.index:
            why = "Vị trí thực tế không nằm trong các vị trí kịch bản xét (không khuyết, không dự kiến luân chuyển)."
        elif not bool(el.loc[key, "eligible"]):
            why = "Cặp thực tế không đủ điều kiện theo quy định đã mã hóa: " + str(el.loc[key, "reasons"]) + "."
        elif other == r.cadre_id:
            why = "Phương án tối ưu chọn đúng người này cho đúng vị trí này."
        else:
            own = sc.get(key)
            alt = sc.get((other, r.post_id)) if other is not None else None
            why = "Cặp thực tế đủ điều kiện"
            if own is not None:
                why += f", điểm phù hợp {own:.2f}".replace(".", ",")
            if alt is not None:
                why += (f"; phương án tối ưu dành vị trí này cho {names.get(other, other)} (điểm {alt:.2f})"
                        .replace(".", ",", 1).replace(".", ","))
            elif other is None:
                why += "; phương án tối ưu không chọn vị trí này"
            why += " — khác biệt do trọng số (xếp loại, nhu cầu của xã, phát triển cán bộ trẻ, khoảng cách) và ràng buộc chung của cả đợt."
        rows.append({
            person_label: names.get(r.cadre_id, r.cadre_id),
            "Nơi đến thực tế": unit_names.get(r.unit_id, r.unit_id),
            "Chức danh": title_labels.get(r.title, r.title),
            "Ngày bắt đầu": f"{pd.Timestamp(r.start_date):%d/%m/%Y}",
            "Là ứng viên": "có" if r.cadre_id in cand_set else "không",
            "Phương án tối ưu bố trí người này về": "" if mine is None else str(
                post_labels.get(mine, mine) if post_labels is not None else mine),
            "Phương án tối ưu bố trí vị trí này cho": "" if other is None else names.get(other, other),
            "Giải thích": why,
        })
    return pd.DataFrame(rows)
