"""Generate a synthetic dataset: ``python -m hedui.adapters.standin --out DIR``."""

from __future__ import annotations

import argparse
import pathlib
import sys
from collections.abc import Sequence

from hedui.adapters.standin.bdc_database import write_bdc_database
from hedui.adapters.standin.people import make_dataset

BDC_DATABASE_FILE = "bdc.sqlite"


def main(argv: Sequence[str] | None = None) -> int:
    """Write the dataset's JSON files and the real estate database into the output directory."""
    parser = argparse.ArgumentParser(description="生成模拟部门数据集（合成数据，不含真实个人信息）")
    parser.add_argument("--out", type=pathlib.Path, required=True, help="输出目录，不存在时自动创建")
    parser.add_argument("--seed", type=int, default=1, help="随机种子，相同种子生成相同数据（默认 1）")
    parser.add_argument("--households", type=int, default=50, help="家庭户数（默认 50）")
    args = parser.parse_args(argv)
    if args.households < 1:
        parser.error("--households 应为正整数")
    dataset = make_dataset(args.seed, args.households)
    dataset.save(args.out)
    write_bdc_database(dataset, args.out / BDC_DATABASE_FILE)
    people = sum(1 for _ in dataset.people())
    print(f"已生成 {args.households} 户、{people} 人的数据集：{args.out}（不动产数据库 {BDC_DATABASE_FILE}）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
