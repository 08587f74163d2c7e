ATTACH DATABASE 'file.db' AS aux;
