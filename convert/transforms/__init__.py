"""Model → model steps a writer needs before it renders: the link policy and the citation footer
(``prepare``), links between the articles of a book (``book``); the citation formatting they use."""
