"""The figures: trained share, measures and targets, unit reports, headcounts, periodic reports, stored completions."""
