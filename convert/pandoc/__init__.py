"""The model ⇄ pandoc's JSON AST, both ways: ``reading`` (pandoc → model, for every reader),
``writing`` (model → pandoc, for the DOCX writer), from the one name table in ``names``."""
