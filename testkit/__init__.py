"""The test kit: generators of sample filings, layouts, scans, web pages, Word files and text dumps.

Not part of the nianbao distribution (the wheel holds ``nianbao`` alone); used by the tests and the
benchmarks. The committed samples and their golden files are data in ``samples/``.
"""
