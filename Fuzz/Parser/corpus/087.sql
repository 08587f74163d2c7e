PRAGMA foo(-1.5);
