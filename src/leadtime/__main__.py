from leadtime.cli import main

main()
