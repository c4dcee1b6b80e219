def log = new File(basedir, 'build.log').text
assert log.contains('classpath consumer: tensor([[ 3.,  3.],')
assert log.contains('Tests run: 1, Failures: 0, Errors: 0, Skipped: 0')
return true
