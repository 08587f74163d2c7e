VACUUM temp INTO 'x' || '.db';
