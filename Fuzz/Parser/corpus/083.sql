PRAGMA temp.foreign_keys = ON;
