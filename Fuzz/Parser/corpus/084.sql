PRAGMA secure_delete = 'fast';
