"""Machine translation: the offline model store (``store``, ``model``) and the translator
built on first use (``translator``)."""
