CREATE TABLE t12 (key, action, replace, temp, row, "select", [from], `where`, 'order' TEXT, current_time, like, cast, raise);
