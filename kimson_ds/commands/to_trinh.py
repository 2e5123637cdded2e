"""``kimson-ds to-trinh DATASET --scenarios DIR --out DIR [--mat]``: the Tờ trình of a meeting, in Word.

Computes the decisions the meeting manifest (``goi-tai-lieu.yaml``) lists —
rating, planning, rotation, training, vetting — and writes, for each, a Tờ
trình ``<key>.docx`` (Hướng dẫn 36-HD/VPTW format, editable before signing)
and its Phụ lục workbook ``<key>.xlsx``, plus a profile card per proposed
person (``ho-so/``). No notebook is run: this is the quick way to the papers
when the reports are not needed (``kimson-ds pack`` builds both).
Exit codes: 0 done, 2 bad input, 3 a decision could not be computed.
"""

from __future__ import annotations

import shlex


def register(sub) -> None:
    p = sub.add_parser(
        "to-trinh",
        help="Lập Tờ trình (Word) cho từng nội dung trình Ban Thường vụ, kèm phụ lục Excel và phiếu hồ sơ cán bộ.",
        description=(
            "Tính các nội dung trình (xếp loại, quy hoạch, luân chuyển, đào tạo, thẩm định) theo tệp "
            "goi-tai-lieu.yaml của thư mục kịch bản và ghi mỗi nội dung một Tờ trình .docx theo Hướng dẫn "
            "36-HD/VPTW, một tệp phụ lục .xlsx và phiếu hồ sơ của từng người được đề xuất. "
            "Mã thoát: 0 hoàn tất, 2 đầu vào sai, 3 có nội dung không lập được."
        ),
    )
    p.add_argument("dataset", help="thư mục tệp CSV hoặc tệp .xlsx")
    p.add_argument("--scenarios", required=True, metavar="THƯ_MỤC",
                   help="thư mục kê khai cuộc họp, ví dụ data/scenarios/hop-btv")
    p.add_argument("--out", required=True, metavar="THƯ_MỤC", help="thư mục ghi Tờ trình")
    p.add_argument("--mat", action="store_true", help="in dấu MẬT trên Tờ trình")
    p.set_defaults(func=run)


def run(args) -> int:
    from pathlib import Path

    from kimson_ds.audit import record_run
    from kimson_ds.data.io import load_dataset
    from kimson_ds.outputs import OutputSet
    from kimson_ds.papers import vi
    from kimson_ds.papers.pack import load_pack, meeting_date, proposal_lists, write_papers
    from kimson_ds.papers.profile import write_profile_cards

    with OutputSet(args.out, inputs=[args.dataset, args.scenarios], folder=True) as outs:  # checked, staged
        plan = load_pack(args.scenarios, args.dataset)
        ds = load_dataset(args.dataset)
        stage = outs.root
        lists = proposal_lists(ds, plan)
        write_papers(stage, lists, plan, secret=True if args.mat else None)
        people = list(dict.fromkeys(p for x in lists for p in x.people))
        if people:
            write_profile_cards(ds, people, stage / "ho-so", as_of=meeting_date(plan))
        parts = ["to-trinh", args.dataset, "--scenarios", args.scenarios, "--out", args.out] + (
            ["--mat"] if args.mat else [])
        outs.commit(lambda written: record_run(
            " ".join(shlex.quote(x) for x in parts), dataset=ds,
            scenario={"scenarios": str(plan.folder), "manifest": plan.manifest.model_dump(mode="json")},
            parameters={x.sheet: x.parameters for x in lists}, outputs=written))
    out = Path(args.out)
    print(f"Đã lập {len([x for x in lists if x.submission is not None])} Tờ trình cho cuộc họp ngày "
          f"{vi.date(meeting_date(plan))}{' (có dấu MẬT)' if args.mat or plan.manifest.secret else ''}:")
    for x in lists:
        state = x.summary if x.ok else f"không lập được — {x.summary}"
        print(f"  - {x.sheet}: {state}")
    print(f"Phiếu hồ sơ cán bộ: {len(people)} người được đề xuất.")
    print(f"Kết quả ghi tại {out}.")
    return 0 if all(x.ok or x.submission is not None for x in lists) else 3
