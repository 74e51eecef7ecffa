// Unit search inside a form (see UnitPicker.svelte): matches appear while typing, and "Tìm" or Enter searches in
// place instead of sending the form, so what else was typed (passwords included) stays. Offline or on a server
// error nothing changes: the "Tìm" button then sends the form as it does without JavaScript.
for (const box of document.querySelectorAll('[data-unit-picker]')) {
	const input = box.querySelector('input[name=unit_q]');
	const button = box.querySelector('button[value=find]');
	const list = box.querySelector('.unit-list');
	const none = box.querySelector('.unit-none');
	const status = box.querySelector('[aria-live]');
	let timer = 0;
	let ticket = 0;

	const search = async () => {
		clearTimeout(timer);
		const text = input.value.trim();
		const mine = ++ticket;
		const chosen = box.querySelector('input[name=unit_id]:checked');
		if (!text) return true;
		let found;
		try {
			const res = await fetch('/api/units?q=' + encodeURIComponent(text));
			if (!res.ok) return false;
			found = (await res.json()).units;
		} catch {
			return false;
		}
		if (mine !== ticket) return true;
		// The unit already chosen stays in the list even when the new text does not match it.
		const keep = chosen && !found.some((u) => String(u.id) === chosen.value) ? [chosen.closest('li')] : [];
		list.replaceChildren(
			...keep,
			...found.map((u) => {
				const li = document.createElement('li');
				const label = document.createElement('label');
				const radio = document.createElement('input');
				const span = document.createElement('span');
				radio.type = 'radio';
				radio.name = 'unit_id';
				radio.value = String(u.id);
				radio.checked = chosen?.value === radio.value;
				span.textContent = u.label;
				label.append(radio, span);
				li.append(label);
				return li;
			})
		);
		list.hidden = !list.children.length;
		none.hidden = found.length > 0;
		status.textContent = found.length ? `Tìm thấy ${found.length} đơn vị.` : 'Không tìm thấy đơn vị nào.';
		return true;
	};

	input.addEventListener('input', () => {
		clearTimeout(timer);
		timer = setTimeout(search, 250);
	});
	input.addEventListener('keydown', (e) => {
		if (e.key === 'Enter') {
			e.preventDefault();
			search();
		}
	});
	button.addEventListener('click', async (e) => {
		e.preventDefault();
		// The search could not run (offline, server error): send the form the way it goes without JavaScript.
		if (!(await search())) button.form.requestSubmit(button);
	});
}
