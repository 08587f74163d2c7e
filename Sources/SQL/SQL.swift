// SQL: placeholder until the parser lands.
