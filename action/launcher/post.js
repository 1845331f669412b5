'use strict';
// The action's post step: runs `java -jar action/dist/spell-ci.jar github post`.
require('./java.js').run('post');
