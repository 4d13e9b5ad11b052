"""orglens: evidence for how to organize sales, marketing, communications and product."""
