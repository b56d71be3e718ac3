"""Review: checking a corpus (``check``), the HTML review pages (``report``), learning a
reviewer's standard from labels (``calibration``) and scoring against gold (``evaluate``)."""
