from phucdong_site.cli import main

raise SystemExit(main())
