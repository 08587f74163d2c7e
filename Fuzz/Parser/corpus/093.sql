VACUUM main;
