from digimeter.cli import main

main()
