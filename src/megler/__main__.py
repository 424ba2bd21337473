from megler.cli import main

main()
