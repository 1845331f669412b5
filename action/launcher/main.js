'use strict';
// The action's main step: runs `java -jar ../dist/spell-ci.jar github main`.
require('./java.js').run('main');
