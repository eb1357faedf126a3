"""Generate a synthetic dataset: ``python -m hedui.adapters.standin --out DIR``."""

from __future__ import annotations

import argparse
import pathlib
import sys
from collections.abc import Sequence

from hedui.adapters.standin.people import make_dataset
from hedui.adapters.standin.systems import copy_department_files, write_department_systems


def main(argv: Sequence[str] | None = None) -> int:
    """Write the dataset's JSON files, databases, CSV exports and department files into the output directory."""
    parser = argparse.ArgumentParser(description="生成模拟部门数据集（合成数据，不含真实个人信息）")
    parser.add_argument("--out", type=pathlib.Path, required=True, help="输出目录，不存在时自动创建")
    parser.add_argument("--seed", type=int, default=1, help="随机种子，相同种子生成相同数据（默认 1）")
    parser.add_argument("--households", type=int, default=50, help="家庭户数（默认 50）")
    args = parser.parse_args(argv)
    if args.households < 1:
        parser.error("--households 应为正整数")
    dataset = make_dataset(args.seed, args.households)
    dataset.save(args.out)
    write_department_systems(dataset, args.out)
    copied = copy_department_files(args.out)
    people = sum(1 for _ in dataset.people())
    print(f"已生成 {args.households} 户、{people} 人的数据集：{args.out}（含各部门的数据库和导出文件）")
    if not copied:
        print("未找到 examples/departments 中的部门配置文件，未复制；请从源码目录运行。", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
