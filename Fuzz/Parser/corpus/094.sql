VACUUM INTO 'file.db';
