PRAGMA auto_vacuum = +1;
