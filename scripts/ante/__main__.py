from ante.cli import main

raise SystemExit(main())
