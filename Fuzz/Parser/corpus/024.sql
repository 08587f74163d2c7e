SELECT ?, ?7, :name, @name, $name, $a::b(c), #x;
