from services.platform.cli import main

main()
