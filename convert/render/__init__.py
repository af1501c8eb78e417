"""Rendering shared by the writers: the model as XHTML (PDF, EPUB), the citation footer, the link policy."""
