SELECT 1 /* comment */ -- another
;
