#!/usr/bin/env node
import '../electron/cli/main.ts';
