# `python -m orglens` would run the command line if doctest collection imported it.
collect_ignore = ["orglens/__main__.py"]
