ANALYZE main.t1;
