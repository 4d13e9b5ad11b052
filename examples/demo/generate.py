"""Regenerate the demo workspace beside this script: ``python examples/demo/generate.py``."""

from pathlib import Path

from orglens.demo import write_demo

if __name__ == "__main__":
    for path in write_demo(Path(__file__).parent):
        print(path)
