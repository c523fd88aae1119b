from ante.cli import program

program()
