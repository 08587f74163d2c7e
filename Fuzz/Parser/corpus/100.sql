ATTACH 'x.db' AS y KEY 'secret';
