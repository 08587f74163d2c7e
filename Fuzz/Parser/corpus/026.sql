SELECT a COLLATE nocase COLLATE binary, x COLLATE "rtrim" FROM t1;
