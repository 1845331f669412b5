'use strict';
// The action's main step: runs `java -jar action/dist/spell-ci.jar github main`.
require('./java.js').run('main');
