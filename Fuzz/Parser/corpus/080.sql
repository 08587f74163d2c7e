PRAGMA main.cache_size = -2000;
