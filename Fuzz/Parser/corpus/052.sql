CREATE VIRTUAL TABLE IF NOT EXISTS vt USING fts5 (a, b, tokenize = 'porter ascii', prefix = "2 3");
