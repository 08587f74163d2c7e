ANALYZE main;
