"""Linking: turning scores into pairs. Captions inside a page (``captions``), and the
sentences of translated articles in order (``beads``, the dynamic program; ``documents``)."""
