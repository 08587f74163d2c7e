CREATE VIRTUAL TABLE vt3 USING m (f(a, b), (c), , [d]);
